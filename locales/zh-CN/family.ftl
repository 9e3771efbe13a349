## 家庭共济 / 亲情账户 flow (domain.md §5).

family-ask-intent = 您想了解的是哪一种?
family-intent-share = 让家人用我的医保(绑定家庭共济)
family-intent-use = 已经绑定了,家人怎么用
family-intent-lend = 把医保卡借给家人用
family-intent-borrow = 用别人的医保看病
family-ask-ins-type = 您本人参加的是哪种医保?
family-ask-relation = 想绑定的家人是您的?
family-relation-spouse = 配偶(老公/老婆)
family-relation-parent = 父母
family-relation-child = 子女
family-relation-other = 其他亲属(兄弟姐妹、祖父母、公婆岳父母等)
family-relation-name-spouse = 配偶
family-relation-name-parent = 父母
family-relation-name-child = 子女
family-relation-name-other = 其他亲属
family-ask-same-area = 这位家人和您是在同一个城市(同一个统筹区)参保的吗?
family-area-same = 同一个地方
family-area-different = 不在同一个地方
family-ask-channel = 您想在哪里办理绑定?
family-channel-app = 国家医保服务平台APP
family-channel-wechat = 微信公众号
family-channel-alipay = 支付宝
family-channel-offline = 线下窗口

## outcomes
family-no-lending = ❌ 医保卡不能借给别人用,家人也不行。医保卡是实名的身份凭证,只能参保人本人使用;拿别人的医保卡看病、买药,属于医保欺诈。
family-no-lending-penalty = 后果很严重:要退回骗取的医保基金,并处骗取金额2到5倍的罚款;情节严重的,还可能被暂停医保卡结算3到12个月。统筹基金是大家共同的钱,任何情况下都不能转给亲属使用。
family-no-lending-alternative = 合法的办法是「家庭共济」:职工医保参保人可以把自己个人账户里的钱,授权给同一统筹区的配偶、父母、子女,用来付他们自己看病买药的自付部分。要了解怎么绑定吗?
family-no-lending-short = 提醒:家庭共济共享的是个人账户里的钱,不是医保卡本身,仍然不能拿别人的卡去刷。
family-what-is-shared = 说明:家庭共济共享的是职工医保「个人账户」里的钱,用来支付家人自己看病的自付部分;统筹基金不能共享,医保卡也不能借用。
family-verdict-ok = ✅ 一般可以办理:您的{ $relation }和您在同一统筹区参保,可以绑定家庭共济(有的地方叫亲情账户),之后家人就能用您个人账户里的钱支付自己的自付费用。
family-caveat-resident = 提醒:现有资料介绍的家庭共济,主要是共享「职工医保」的个人账户;居民医保能不能办、怎么办,请先向当地医保部门确认。
family-caveat-area-unsure = 提醒:家庭共济一般要求家人和您在同一个统筹区(通常是同一个城市)参保,不确定的话可以在医保APP里查看家人的参保地。
family-steps-app = 📱 国家医保服务平台APP:首页找「亲情账户」(有的版本叫「医保家庭共济」或「添加我的家庭成员」)→ 选择用身份证号绑定 → 填写家人的姓名和身份证号 → 按页面提示上传材料 → 提交,审核通过后就能用了。
family-steps-wechat = 📱 微信公众号:关注「国家医保局」公众号 → 医保服务 → 亲情账户 → 完成身份验证 → 绑定家人;也可以用当地医保公众号(以大连市医疗保障局为例):添加亲情账户,填写家人的参保信息和社保账号,选择关系(父母/子女/配偶),确认授权。
family-steps-alipay = 📱 支付宝:市民中心 → 医保服务 → 医保家庭共济 → 添加参保人员 → 提交,等待审核通过。
family-steps-offline = 🏢 线下窗口:先确认家人的关系符合条件,再带上身份证、医保卡和能证明亲属关系的材料(如户口本),到当地医保中心、社保经办机构或社保卡服务中心登记;个人账户的钱划转过去以后就能使用。
family-upload-note = 需要上传的材料各地不同:按页面提示上传身份证明(如身份证、户口本照片)或个人承诺书即可。家人的身份证号只在官方平台上填写,不要发到聊天里。
family-after-binding = 绑定以后:家人看病买药时,可以用您个人账户的钱支付他自己的自付部分;统筹报销部分仍然走家人自己的医保。
family-use-what = 绑定成功后,被授权的家人就可以使用您个人账户里的钱了,但只能用来支付他自己看病、买药的个人自付部分,统筹报销还是走他自己的医保。
family-use-pay = 就医结算时具体是刷卡还是扫码、怎么选择用亲情账户支付,各医院和地区做法不同,请咨询就诊医院或当地医保部门。
family-other-relative = 现有资料里,家庭共济可以绑定的家人只提到配偶、父母、子女。其他亲属能不能绑定,请先向当地医保部门确认。
family-other-area = 家人和您不在同一个统筹区参保的,一般不符合家庭共济「同一统筹区」的条件,暂时不能绑定。建议咨询当地医保局,看看是否有跨区域共济的新政策。
family-contact = ☎ 有疑问可以咨询当地医保部门、医保公众号,或拨打 12333。
