## 家庭共济 / 亲情账户 flow (domain.md §5). Every guidance message names its seed(s) right above it.

family-ask-intent = 您想了解的是哪一种？
family-intent-share = 让家人用我的医保（绑定家庭共济）
family-intent-use = 已经绑定了，家人怎么用
family-intent-lend = 把医保卡借给家人用
family-intent-borrow = 用别人的医保看病
family-ask-ins-type = 您本人参加的是哪种医保？
family-ask-relation = 想绑定的家人是您的？
family-relation-spouse = 配偶（老公/老婆）
family-relation-parent = 父母
family-relation-child = 子女
family-relation-other = 其他亲属（兄弟姐妹、祖父母、公婆岳父母等）
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么, 怎样把自己的医保卡给家人用)
family-relation-name-spouse = 配偶
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么, 怎样把自己的医保卡给家人用)
family-relation-name-parent = 父母
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么, 怎样把自己的医保卡给家人用)
family-relation-name-child = 子女
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么, 怎样把自己的医保卡给家人用)
family-relation-name-other = 其他亲属
family-ask-same-area = 这位家人和您是在同一个地方参保的吗？（家庭共济要求在同一个「统筹区」：就是医保统一管理、统一报销的地区范围，很多地方是一个市）
family-area-same = 同一个地方
family-area-different = 不在同一个地方
family-area-unsure = 不清楚
family-ask-channel = 您想在哪里办理绑定？
family-channel-app = 国家医保服务平台APP
family-channel-wechat = 微信公众号
family-channel-alipay = 支付宝
family-channel-offline = 线下窗口

## buttons of detail sections (flows.base.Detail)
family-detail-why = ❓ 为什么不能借

## binding outcomes: first screen = verdict + where + first steps; materials and notes one tap away

# seeds: 000 (相关推荐 家庭共济医保是刷自己的么)
family-verdict-ok = ✅ 一般可以办：您是职工医保，家人和您在同一个统筹区（医保统一管理的地区，很多地方是一个市）参保，可以给您的{ $relation }绑定「家庭共济」（有的地方叫亲情账户），让家人用您个人账户里的钱，付他自己看病买药的自付部分。
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么)
family-verdict-check = ⚠ 可能可以办，先确认下面的情况：家庭共济是职工医保参保人把个人账户的钱，授权给在同一个地方参保的配偶、父母、子女用。
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么); domain.md §5.1 F2 (居民医保 not described by the seeds)
family-caveat-resident = 👉 一般说的家庭共济，共享的是「职工医保」的个人账户；居民医保能不能办，请先问当地医保部门。
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么)
family-caveat-type-unsure = 👉 先确认您是职工医保（单位代扣或灵活就业按月交）；居民医保能不能办，请问当地医保部门。
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么)
family-caveat-area-unsure = 👉 在医保APP里查家人在哪里参保：要和您在同一个统筹区（医保统一管理的地区，很多地方是一个市）才能绑。
# seeds: 000 (相关推荐 家人看病用我的医保卡怎么绑定, 医保绑定家人怎么刷医保卡, 怎样把自己的医保卡给家人用); conflict: C10
family-steps-app = 📱 国家医保服务平台APP：首页找「亲情账户」（也可能叫「医保家庭共济」或「添加我的家庭成员」）→ 选「使用身份证号绑定」→ 填家人姓名、身份证号 → 按页面提示上传材料 → 提交，审核通过就能用。
# seeds: 000 (相关推荐 家人看病用我的医保卡怎么绑定, 家庭共济医保绑定后家人去医院怎么刷卡)
family-steps-wechat = 📱 微信：关注「国家医保局」公众号 → 医保服务 → 亲情账户 → 完成身份验证 → 绑定家人。
# seeds: 000 (相关推荐 家庭共济医保绑定后家人去医院怎么刷卡)
family-steps-wechat-local = 也可以用当地医保公众号办（以「大连市医疗保障局」为例）：添加亲情账户，填家人的参保信息和社保账号，选亲属关系，确认授权。
# seeds: 000 (相关推荐 医保绑定家人怎么刷医保卡)
family-steps-alipay = 📱 支付宝：市民中心 → 医保服务 → 医保家庭共济 → 添加参保人员 → 提交，等审核通过就能用。
# seeds: 000 (相关推荐 怎样把自己的医保卡给家人用, 家庭共济医保绑定后家人去医院怎么刷卡)
family-steps-offline = 🏢 线下：带上身份证、医保卡和能证明亲属关系的材料，到当地医保中心、社保卡服务中心或社保经办机构（办社保业务的窗口）登记绑定。

# conflict: C9; seeds: 000 (相关推荐 怎样把自己的医保卡给家人用, 家人看病用我的医保卡怎么绑定)
family-upload-note = 📋 要上传的材料各地不同：按页面提示上传身份证明（如身份证、户口本照片）或个人承诺书。家人的身份证号只在官方平台上填，不要发到聊天里。
# seeds: 000 (相关推荐 家庭共济医保绑定后家人去医院怎么刷卡)
family-offline-materials = 📋 带齐：您的身份证、医保卡，以及亲属关系证明。办完后，要等个人账户的钱「划转」（也就是从您的账户转到共济账户里）以后才能用。
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么, 医保卡可以跟家人一起用吗)
family-after-binding = 绑定以后：家人看病买药时，可以用您个人账户的钱付他自己的自付部分。医保卡本身还是不能借用，统筹基金（大家共同交、用来报销的钱）也不能共享。
# seeds: 000 (相关推荐 怎样把自己的医保卡给家人用); domain.md §5.1 F3
family-relation-check = 一般能绑定的家人是配偶、父母、子女；线下办理时先确认家人的关系符合条件。

## other outcomes

# seeds: 000 (相关推荐 医保卡可以跟家人一起用吗, 自己看病可以刷别人的医保吗, 医保卡可以给别人付费用吗)
family-no-lending = ❌ 医保卡不能借给别人用，家人也不行：卡是实名的，只能本人用；拿别人的卡看病买药属于医保欺诈，要退回骗取的钱，并罚2到5倍，严重的暂停医保卡结算3到12个月。
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么)
family-no-lending-alternative = ✅ 合法的办法是「家庭共济」：职工医保参保人可以把个人账户里的钱，授权给同一个统筹区（医保统一管理的地区范围，很多地方是一个市）的配偶、父母、子女，付他们自己看病的自付部分。点下面可以看怎么绑定。
# seeds: 000 (相关推荐 医保卡可以跟家人一起用吗, 医保卡可以给别人付费用吗)
family-no-lending-penalty = 为什么不行：个人账户的钱只能本人用或按家庭共济授权；统筹基金（大家共同交、用来报销的钱）任何情况下都不能转给亲属。借卡被查到：责令退回骗取的医保基金，处骗取金额2倍以上5倍以下罚款；情节严重的，暂停医保卡使用3到12个月。
# seeds: 000 (相关推荐 医保绑定家人怎么刷医保卡, 家庭共济医保是刷自己的么)
family-use-what = 绑定成功后，被授权的家人就能用您个人账户里的钱，但只能付他自己看病、买药的个人自付部分。
# seeds: 000 (相关推荐 家庭共济医保绑定后家人去医院怎么刷卡: the text on paying at the counter is cut off, domain.md §5.2 F-USE, §12)
family-use-pay = 看病结算时具体是刷卡还是扫码、怎么选亲情账户付钱，各医院和地区做法不同，请咨询就诊医院或当地医保部门。
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么)
family-no-lending-short = 提醒：共享的是个人账户里的钱，不是医保卡本身，仍然不能拿别人的卡去刷。
# seeds: 000 (相关推荐 怎样把自己的医保卡给家人用); domain.md §5.1 F3
family-other-relative = ⚠ 家庭共济一般能绑定的家人是配偶、父母、子女。其他亲属能不能绑，请先向当地医保部门（医保局窗口或医保公众号）确认。
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么); domain.md §5.2 F-SCOPE
family-other-area = ⚠ 家人和您不在同一个统筹区（医保统一管理的地区范围，很多地方是一个市）参保的，一般不符合家庭共济的条件，暂时不能绑定。可以问问当地医保局有没有别的办法。
# seeds: 000 (相关推荐 家庭共济医保是刷自己的么)
family-what-is-shared = 说明：家庭共济共享的是职工医保「个人账户」里的钱，用来付家人自己看病的自付部分；统筹基金（大家共同交、用来报销的钱）不能共享，医保卡也不能借用。
# domain.md §1.2 (seeds 000, 002, 003: ask the local office, its 公众号, or 12333)
family-contact = ☎ 有疑问可以问当地医保窗口、医保公众号，或拨打 12333。
