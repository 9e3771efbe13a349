## Shared sentences: menu, global commands, errors, disclaimers.

list-separator = 、

flow-refund = 医保退费
flow-transfer = 转移接续
flow-family = 家庭共济
flow-reactivation = 补缴/重新参保/医保卡激活

menu-prompt = 请问您想办哪件事？点选下面的选项，或者直接回复序号。
menu-refund = 医保退费
menu-transfer = 转移接续（含两地重复参保）
menu-family = 家庭共济（家人用我的医保）
menu-reactivation = 断缴补缴/重新参保
menu-card = 医保卡激活
menu-faq = 常见问题

opt-handoff = 转人工
opt-menu = 主菜单
opt-exit = 结束
opt-yes = 是
opt-no = 否
opt-unknown = 不清楚
opt-not-sure = 不确定
opt-online = 手机上办
opt-offline = 去窗口办
opt-go-transfer = 办理转移接续
opt-go-reactivation = 了解补缴/重新参保
opt-ins-resident = 城乡居民医保（含新农合）
opt-ins-employee = 职工医保

# seeds: 004
hint-ins-type = 小提示：由单位代扣代缴，或者按灵活就业身份每月交的，是「职工医保」；每年自己交一次的（包括新农合、学生、老人、孩子参保），是「城乡居民医保」。看看您符合哪一种？
ask-channel = 您打算怎么办理？

common-welcome = 您好！我是医保办事助手，可以一步一步教您办：医保退费、转移接续、家庭共济、断缴补缴和重新参保、医保卡激活。
common-flow-start = 好的，我们来办「{ $title }」。我会问您几个简单的问题，点选项或回复序号就行；说「返回」可以回到上一步。
common-help =
    使用方法：
    · 点下面的选项，或者回复选项前面的数字；
    · 也可以直接用自己的话说，比如「医保交重复了怎么退」；
    · 随时可以说「返回」回到上一步、「重新开始」从头来、「菜单」看全部功能、「转人工」找客服、「结束」退出。
common-stale-button = 这个按钮是之前步骤的，已经过时了。请看下面最新的问题。
common-privacy-warning = 为了您的信息安全，请不要在聊天里发身份证号、银行卡号、医保卡号或手机号，办理指引用不到这些信息，刚才那条内容也不会被保存。
common-not-understood-answer = 抱歉，我没太明白。请点下面的选项，或者回复选项前面的数字。
common-not-understood-idle = 抱歉，这个问题我暂时答不了。我能一步一步教您办的是：医保退费、转移接续、家庭共济、补缴/重新参保、医保卡激活。其他问题建议咨询当地医保部门，或拨打 { $hotline }。
common-offer-handoff = 如果还是说不清楚，可以回复「转人工」，或拨打 12333 咨询。
common-confirm-switch = 您是想改办「{ $title }」吗？
common-restarted = 好的，已经清空，我们从头开始。
common-went-back = 好的，回到上一步。
common-nothing-to-undo = 已经是最开始了，没有上一步可以返回。
common-goodbye = 好的，感谢使用！以后有医保方面的事随时来问，也可以拨打 { $hotline } 咨询。
common-handoff-unavailable = 人工客服暂时还没有开通。您可以拨打 { $hotline }，或者到当地医保经办窗口、医保公众号咨询。也可以继续在这里办理。
common-language-set = 好的，已切换为简体中文。
common-anything-else = 还有什么需要帮忙的吗？
# seeds: 000, 001, 002, 003, 004
common-local-rules = ⚠ 各地政策和办理入口可能不同，请以当地医保部门的规定为准。
# seeds: 000, 001, 003, 004
common-footer = 温馨提示：本助手只讲医保怎么办理，不提供看病用药方面的建议；身体不舒服请及时就医。
common-busy = 您的上一条消息还在处理中，请稍等几秒再发。
common-error = 抱歉，系统刚才出了点问题，您的办理进度没有丢失，请稍后再发一次。
common-store-down = 系统繁忙，请稍后再发一次。
common-session-expired = 对话已过期，我们从头开始。刚才的回答没有保存，请重新选择要办的事。
common-session-damaged = 抱歉，您之前的对话记录出了问题，已经清空，我们从头开始。
common-handoff-lost = 抱歉，和人工客服的会话记录出了问题，已经结束。需要的话请再回复「转人工」。

## Buttons that open one section of the guidance (flows.base.Detail).
detail-steps = 📝 办理步骤
detail-materials = 📋 要带的材料
detail-form = 📝 申请表叫什么
detail-timing = ⏱ 多久到账
detail-notes = ⚠ 注意事项
detail-contact = ☎ 去哪里问
