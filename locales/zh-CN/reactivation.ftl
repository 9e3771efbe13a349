## 断缴补缴 / 重新参保 / 医保卡激活 flow (domain.md §6). Every guidance message names its seed(s) right above it.

react-ask-task = 您要办的是哪一项？
react-task-backpay = 断缴了，想补缴
react-task-reenrol = 重新参保
react-task-card = 医保卡激活
react-ask-ins-type = 断缴的是哪种医保？
react-ask-lapse = 断缴多长时间了？
react-lapse-short = 3个月以内（含3个月）
react-lapse-long = 超过3个月
react-lapse-unsure = 不清楚断了多久
# seeds: 000 (相关推荐 新农合如何重新参保)
react-ask-over-65 = 参保人是不是已经65岁以上？（有的地方对65岁以上补缴有限制）
react-ask-card-part = 您要激活的是哪一部分？
react-card-part-medical = 看病结算功能（医保账户）
react-card-part-bank = 银行卡功能（金融账户）
react-card-part-ecert = 医保电子凭证（手机扫码）
react-card-part-unsure = 不清楚
# seeds: 002
react-card-part-hint = 小提示：社保卡/医保卡一般有两部分：「医保账户」用来看病买药结算；银行发的卡还带「金融账户」，能存取钱，要到卡面上印的那家银行的网点激活。只想看病时能用，激活医保账户就行。
react-ask-for-whom = 是给谁办？
react-for-self = 我本人
react-for-family = 替家人代办
react-for-newborn = 新生儿/未成年孩子
react-ask-card-received = 卡已经拿到手了吗？
react-card-received-yes = 已经拿到了
react-card-received-no = 还没拿到/不确定做好了没有
react-ask-where = 您想在哪里激活？
react-where-hospital = 在医院或药店第一次使用时
react-where-window = 去医保窗口
react-where-app = 用手机APP
react-where-phone = 打电话
react-where-bank = 去卡面上印的银行网点
react-where-elsewhere = 人在外地，要在外地看病


## buttons of detail sections (flows.base.Detail)
react-detail-wait = ⏱ 等待期多久
react-detail-after = 💳 激活以后怎么用
react-detail-conditions = 📋 参保条件和材料

## lapse outcomes (职工医保): first screen = verdict + where + first steps; the rest one tap away

# seeds: 001 (相关推荐 医保中断3个月再补交, 医保断了3个月可以补交吗, 医保断开的那段时间怎么办); conflict: C4
react-emp-short-verdict = ✅ 断缴3个月以内（含3个月）：多数地区可以补缴。补上后缴费年限连续算，断缴期间看病的费用也能按规定报销，不用等待。刚好3个月的也算在内，但已经到临界点，请尽快办。
# seeds: 001 (相关推荐 医保断了3个月可以补交吗); conflict: C4
react-emp-short-no-reenrol = 您断缴还没超过3个月，一般不用重新参保，直接补缴就行。
# seeds: 001 (相关推荐 医保中断3个月再补交, 医保断开的那段时间怎么办), 004
react-emp-short-effects = 这种情况常见于离职后还没找到新工作，或者按灵活就业身份自己交费的。断缴期间医保不报销；职工医保个人账户里的钱照样能用。
# seeds: 001 (相关推荐 医保中断3个月再补交)
react-emp-short-materials = 📋 一般带身份证和医疗保险证（医保卡）；有的城市还要一份盖了单位公章的补缴申请书。
# seeds: 001 (相关推荐 医保中断3个月再补交)
react-emp-late-fee = 💰 有的城市（如北京、上海）补缴要交滞纳金：每天万分之二，最多不超过100元。
# domain.md §1.2 (seeds 000, 002: point to the local 医保 公众号 / app); no seed names an online 补缴 menu
react-emp-pay-online = 📱 手机上：能不能在网上补缴各地不同，可以先在当地医保公众号或医保APP里找「补缴」入口；找不到就去窗口办。
# seeds: 001 (相关推荐 医保中断3个月再补交), 004
react-emp-pay-offline = 🏢 去窗口：带上身份证和医保卡，到当地医保经办机构（就是社保中心、医保中心的办事窗口）申请补缴。
# conflict: C2; seeds: 001 (相关推荐 医保断了3个月可以补交吗, 医保断交两个月后不补, 医保断开的那段时间怎么办), 004
react-emp-long-verdict = ⚠ 断缴超过3个月：多数地方不能再补缴断掉的那几个月，需要重新参保（重新开始交费）；连续缴费时间可能重新算，重新交费后还可能有3到6个月甚至更长的等待期（这段时间看病不能报销），以当地规定为准。
# seeds: 003 (相关推荐 单位辞职了医保还能用吗), 001 (相关推荐 医保断开的那段时间怎么办)
react-emp-reenrol-online = 📱 手机上：在当地医保公众号或医保APP里找参保登记或缴费入口（入口以当地为准）；离职没有单位的，可以按灵活就业身份参保，或者改参城乡居民医保。
# seeds: 001 (相关推荐 医保中断3个月再补交), 003 (相关推荐 单位辞职了医保还能用吗)
react-emp-reenrol-offline = 🏢 去窗口：带上身份证和医保卡，到当地医保经办机构（就是社保中心、医保中心的办事窗口）办理重新参保登记；离职没有单位的，可以按灵活就业身份参保，或者改参城乡居民医保。
# conflict: C2; seeds: 001 (相关推荐 医保断了3个月可以补交吗, 医保断交两个月后不补, 医保断开的那段时间怎么办), 004 (相关推荐 职工医保交2个月可以报销吗)
react-emp-long-wait = ⏱ 等待期各地说法不一：有的3个月，有的6个月，也有要求连续交满1年才恢复待遇的；职工医保重新参保后，一般要连续交满3个月才开始报销。以当地规定为准。
# seeds: 001 (相关推荐 医保断开的那段时间怎么办), 003 (相关推荐 单位辞职了医保还能用吗)
react-emp-long-bridge = 等待期内的保障：可以先参加城乡居民医保过渡，或者用商业保险补上医保不报的部分。
# seeds: 001 (相关推荐 医保断开的那段时间怎么办); domain.md §6.1 A3 不清楚
react-emp-unknown-check = 先查清楚断了多久：在医保APP、当地医保公众号或社保缴费记录里看最后一次交到几月。
# conflict: C2, C4; seeds: 001 (相关推荐 医保中断3个月再补交, 医保断了3个月可以补交吗), 004
react-emp-unknown-both = ✅ 3个月以内（含3个月）：多数地区可以补缴，补上后不受影响。⚠ 超过3个月：一般要重新参保，还可能有3到6个月甚至更长的等待期（这期间看病不能报销）。
# seeds: 001 (相关推荐 医保中断3个月再补交), 004
react-emp-unknown-where = 🏢 查清后带上身份证和医保卡，到当地医保经办机构（社保中心、医保中心的办事窗口）办理。
# seeds: 004, 001 (相关推荐 医保断交两个月后不补)
react-gap-effect-emp = 断缴期间：从停止缴费的下个月起，医保统筹基金（大家共同交、用来报销的钱）不再报销，看病要自己全付；职工医保个人账户的余额还能用。

## 不清楚 哪种医保 (answer recorded, hint already said): both rules, then the 职工 details
# seeds: 004, 000 (相关推荐 合作医疗断交还能交吗); domain.md §3.1 R1 hint
react-type-unknown = 不确定哪种医保：按月交的（单位代扣或灵活就业）按下面职工医保的规则；每年自己交一次的居民医保，下个缴费期交上就能恢复。

## lapse outcomes (居民医保 / 新农合)

# seeds: 000 (相关推荐 合作医疗断交还能交吗), 003
react-res-verdict = 居民医保（含新农合）一般一年交一次：断交了，在下一个缴费期（一般每年9月到12月）把当年的钱交上，就能恢复参保。
# seeds: 000 (相关推荐 合作医疗断交还能交吗)
react-res-example = 比如2024年没交，2025年交了，2025年就正常参保。有的地方只要从断缴的下个月起接着交，就能恢复待遇，不用补交以前的。
# conflict: C2; seeds: 004, 001 (相关推荐 医保断交两个月后不补)
react-res-wait = ⚠ 断交期间看病不能报销；断了超过3个月再交，有的地方有等待期（交费后要等3到6个月甚至更久才能报销），以当地规定为准。
# seeds: 000 (相关推荐 新农合如何重新参保)
react-res-over-65 = ⚠ 有的地方规定65岁以上的人不能补缴，请先问当地医保部门能不能办。
# seeds: 000 (相关推荐 新农合如何重新参保)
react-res-merged = 很多地方的新农合已经并入城乡居民医保，按城乡居民医保办就行。
# seeds: 000 (相关推荐 农村合作医疗如何重新缴费, 新农合如何重新参保)
react-res-pay-online = 📱 手机上交：在当地医保公众号或支付宝里找「社保缴费」或「城乡居民医保缴费」→ 关联本人信息 → 缴费；比如在支付宝搜「农村医疗保险缴费」，再选参保地（交医保的地方）。
# seeds: 000 (相关推荐 农村合作医疗如何重新缴费)
react-res-pay-online-more = 也可以在当地劳动保障局网站或社保APP的「参合管理」「社保缴费」菜单里交。
# seeds: 000 (相关推荐 新农合如何重新参保, 农村医保重新参保条件)
react-res-pay-offline = 🏢 线下交：带上身份证，到当地医保经办窗口（办医保业务的窗口）缴费登记。
# seeds: 000 (相关推荐 农村医保重新参保条件, 新农合如何重新参保)
react-res-conditions = 重新参保的条件（各地不同）：一般看年龄（多数地方要求18岁以上；不满18岁的城镇居民可以按学龄前儿童或在校学生身份参保）、本地户籍或其他本地条件；断了多久也有影响。新农合以前要求农业户口。
# seeds: 000 (相关推荐 农村医保重新参保条件)
react-res-materials = 📋 一般要身份证、户口本、社保卡；中间断过的，可能还要断缴证明。
# seeds: 004 (相关推荐 医保未缴满6个月看病可以报销吗)
react-new-enrollee-wait = ⏱ 新参保有等待期：交费后前6个月一般不报住院费用，只有门诊和买药方面的补助；满6个月不满1年的，按50%报销。以当地规定为准。
# seeds: 004
react-gap-effect-res = 断交期间：从停止缴费的下个月起，医保统筹基金（大家共同交、用来报销的钱）不再报销，看病费用要自己全付。
# domain.md §1.2 (seeds 000, 002, 003)
react-contact = ☎ 拿不准的，可以问当地医保窗口、医保公众号，或拨打 12333。

## card outcomes

# seeds: 002
react-card-check-made = 第一步：先确认卡已经做好（制卡成功），可以在当地医保局网站或医保APP里查；没做好的要先申请办卡。
# seeds: 002
react-card-deadline = ⏱ 有的地方规定领卡后要在一定期限内激活，否则可能影响使用，拿到卡尽快办。
# seeds: 002; conflict: C4 (§6.1 C4 银行网点)
react-card-bank = 🏦 到卡面上印的那家银行（比如中国银行）的网点柜台，说明要激活金融账户，按银行要求设置密码就行。
# seeds: 002
react-card-bank-medical = 看病结算功能（医保账户）在定点医院或药店第一次用卡时会自动激活，也可以去医保窗口、用手机APP或打电话激活。
# seeds: 002
react-card-ecert = 📱 医保电子凭证：在官方医保APP里按提示激活，具体入口以当地为准。激活后看病买药可以用手机扫码，不用带实体卡。
# seeds: 002
react-card-hospital = 🏥 在医院或药店：到定点医院或定点药店第一次用医保卡时，系统会自动激活，比如第一次挂号时工作人员会提示您。
# seeds: 002
react-card-window = 🏢 去医保窗口：带上身份证和医保卡，到当地医保服务窗口，工作人员帮您激活。
# seeds: 002
react-card-materials = 📋 材料：本人身份证原件和复印件、医保卡原件。
# seeds: 002
react-card-app = 📱 用手机APP：下载并注册当地医保APP（比如「医保服务平台」）→ 找「医疗保险卡激活」→ 按提示做人脸识别和身份验证。手机摄像头和麦克风要能正常用；有的地方要先实名认证。
# seeds: 002
react-card-phone = ☎ 打电话（部分地区可以）：拨打当地医保服务热线，按语音提示输入身份证号、医疗保险卡号等信息。这些号码只在官方热线里按提示输入，不要发到聊天里。
# seeds: 002
react-card-elsewhere = 🧳 要在外地看病：最好出发前在参保地（交医保的地方）激活；已经在外地的，可以打电话或上网联系参保地的医保经办机构（办医保业务的部门）帮忙激活；有的就诊医院也能直接开通异地使用。
# seeds: 002
react-card-elsewhere-tip = 要去外地看病的，最好出发前先在参保地（交医保的地方）激活好。
# seeds: 002
react-card-proxy = 👥 替家人代办（部分地区允许）：带上代办人自己的身份证和授权委托书，以及参保人的身份证和医保卡。
# seeds: 002
react-card-newborn = 👶 新生儿/未成年人：由监护人带上孩子的出生证明、户口本和监护人本人的身份证，到社保服务大厅或银行网点代办激活；有的地方也可以在「医保服务平台」上传材料办理。
# seeds: 002
react-card-status = 您的卡可能还没做好。请先在当地医保局网站或医保APP查制卡状态；显示没有制卡的，要先申请办卡，拿到卡以后再激活。
# seeds: 002
react-card-after = 激活以后：看病买药可以直接刷卡结算；再激活医保电子凭证，就能用手机扫码，不用带卡。建议定期在「医保服务平台」APP或医保局网站查余额和消费记录。
# seeds: 002
react-card-part-explain = 卡有两部分：「医保账户」用来看病买药结算；银行发的卡还有「金融账户」，能存取钱，要到卡面上印的银行网点激活。下面讲看病结算功能怎么激活。
# seeds: 002
react-card-contact = ☎ 有问题可以问当地医保部门、发卡银行的客服热线，或拨打 12333。
