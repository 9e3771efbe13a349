## 退费 flow (domain.md §3).

refund-ask-ins-type = 请问您交的是哪一种医保?
refund-ask-reason = 您想退费的原因是哪一种?
refund-reason-duplicate = 重复缴费(交重复了)
refund-reason-error = 缴错了/多缴了
refund-reason-joined-employee = 已经参加了职工医保
refund-reason-death = 参保人去世
refund-reason-moved = 户口迁出/出国定居
refund-reason-prison = 服刑等特殊情况
refund-reason-retired = 退休后还在缴费(多缴)
refund-reason-unemployed = 领失业金期间又自己交了
refund-reason-voluntary = 不想交了/想停保退钱

refund-ask-dup-scope = 是哪种重复?
refund-dup-same = 同一个地方交了两次
refund-dup-two-regions = 两个地方各交了一份
refund-dup-emp-res = 职工医保和居民医保都交了
refund-dup-two-employers = 两个单位都给交了

refund-ask-death-timing = 参保人是什么时候去世的?
refund-death-before = 当年医保待遇开始之前
refund-death-during = 医保待遇期内
refund-ask-used = 这个参保年度里,有没有用这份医保看过病、买过药或报销过?
refund-used-yes = 用过
refund-used-no = 没用过
refund-ask-platform = 您想用哪个平台办?
refund-platform-insurance = 当地医保公众号
refund-platform-tax = 税务APP或税务公众号
refund-platform-miniapp = 支付宝/微信小程序

## verdicts
refund-verdict-dup-same = ✅ 可以申请退费:同一个人在同一个统筹地区重复参保、重复交费的,可以申请注销多出来的那份,把重复部分退回。
refund-verdict-dup-emp-res = 可以申请,但结果要看当地审核:同一时期既交了职工医保又交了居民医保,只能保留一种。各地对重叠部分能不能退、退多少说法不一(有的地方不退),建议先保留一种,再向当地申请退另一份的重叠部分。
refund-verdict-error = ✅ 可以申请退费:因为系统、经办人员或单位的差错造成重复缴费或多缴的,可以退。申请时最好带上参保缴费明细作为证明。
refund-verdict-error-employee = ✅ 可以申请退费:因为系统、经办人员或单位的差错造成多缴的,可以退。职工医保如果是因为经办差错或系统故障没能及时停保,而且这段时间没有用过医保待遇,多交的月份可以退。申请时带上参保缴费明细。
refund-verdict-joined-employee = ✅ 可以申请退费:居民医保参保人后来参加了单位的职工医保,属于可以退费的情形;按优惠政策自己缴费、后来转为单位参保的,按原政策核算后退还。注意:只是自己不想要居民医保而退出,是不能退的。
refund-verdict-moved = ✅ 可以申请退费:户口迁出本地的,可以退还剩余的保费;出国定居的,可以终止居民医保关系并退还个人账户余额。
refund-verdict-prison = 服刑属于可以申请退费的特殊情形,但各地具体规定差别较大,建议到当地医保窗口办理,由工作人员核实。

refund-caveat-used-unsure = 提醒:如果这个参保年度已经享受过医保待遇(看病报销过),一般就不能退了,请先在医保APP或公众号里查一下自己的使用记录。
refund-note-subsidy = 如果您是政府资助参保的人员(如低保、特困等),需要先把应退还的资助部分结清后才能申请,到窗口时带上资助证明。

## non-refundable and redirect outcomes
refund-no-voluntary = ❌ 按一般规定,正常交的医保费不能因为「不想交了」「停保了」而退钱,职工医保交了多年后停缴也是一样;自己选的缴费档次,也不能用「退保」「转档」的方式把钱退回来。
refund-no-voluntary-next = 如果您属于重复缴费、缴错、参保人去世、户口迁出等情况,可以说「重新开始」再选。停缴会影响医保报销,如需恢复,可以了解补缴或重新参保。
refund-no-used = ❌ 一般不能退:这个参保年度已经享受过医保待遇(看过病报销过)的,当年的保费不予退还。居民医保一旦进入待遇享受期,个人缴的部分通常也不退;如果还在集中缴费期内(一般是9月到12月)申请,当年交的钱一般还能退。
refund-no-used-dispute = 如果您觉得情况特殊,可以转人工,或到当地医保窗口说明。
refund-dup-two-regions = 两个地方各交了一份:医保关系只能保留一个。建议先确定要保留哪一边(一般是工作或长期居住的地方),把另一边的关系停掉或转移过来。
refund-dup-two-regions-next = 申请退另一边多交的钱时,可能需要那边医保经办机构开的参保凭证。另外,同一个市里因为以前分区统筹造成的重复,一般不退钱,而是合并个人账户。需要的话,我可以接着教您办转移接续。
refund-dup-two-employers-verdict = 两个单位同时给您交了职工医保:单位交的那部分一般不退,您的个人账户会合并。请找其中一个单位停缴,并到当地医保窗口办理合并。
refund-retired-verdict = ✅ 可以申请:退休后缴费年限已经够了还在继续交的,多交的月份可以退,但这几个月记入个人账户的钱会扣回;退休时补交了欠缴年限,重新核算后发现多交的,也可以退。
refund-unemployed-verdict = ✅ 可以申请:领失业保险金期间,失业保险经办机构已经替您交了医保;同一时期您自己又交了职工医保的,可以在下一年度申请退回多交的部分。
refund-death-verdict = 参保人去世属于可以退费的情形,原则上退还剩余的保费,具体金额取决于去世的时间。请家属带上死亡证明到窗口办理。
refund-death-verdict-before = 已经交了下一年度居民医保、但在待遇期开始前去世的,一般可以全额退还;从来没享受过待遇的,个人账户余额由法定继承人继承。
refund-death-verdict-during = 在待遇期内去世的,一般退还未使用期间的保费,个人账户余额可由继承人领取;个体参保按年交一档的,已划入统筹基金和大额医保的部分不退。
refund-death-verdict-unknown = 退多少要看去世时间:待遇期开始前去世一般可全额退;待遇期内去世一般退还未使用期间的部分,个人账户余额由继承人领取。窗口会按实际情况核算。

## how to apply
refund-steps-insurance = 📱 用医保公众号办(以阜阳医疗保障为例):医保服务 → 医保服务站 → 我要办 → 城乡居民退费登记 → 按提示上传材料提交 → 等待审核。
refund-steps-tax = 📱 用税务渠道办(以重庆税务公众号为例):网上办税 → 个人社保 → 社保费办理 → 城乡居民医保退费;也可以在税务APP(如重庆税务、楚税通)里找「社保费退费」→ 城乡居民医保退费。
refund-steps-miniapp = 📱 用支付宝或微信小程序办:搜索当地的社保缴费小程序(以「重庆社保缴费」为例)→ 社保费办理 → 提交退费申请。
refund-steps-online-generic = 一般步骤:用身份证号或手机号登录 → 选退费类型(如重复缴费、缴费错误),核对年度和期间 → 上传身份证、缴费凭证、银行账户信息 → 提交 → 在APP里查看进度。上传的材料要真实完整,材料不对被退回要重新提交。
refund-steps-offline = 🏢 去窗口办:到当地医保中心(社保中心)或医保局、税务局的服务窗口 → 填写退保申请表(有的地方叫《城乡居民基本医疗保险退保申请表》,有的叫《城镇居民基本医疗保险退保申请表》)→ 交材料 → 等待审核 → 按通知领取退款。
refund-steps-offline-employee = 🏢 办理方式:职工医保的退费一般通过单位或到当地医保经办机构的窗口申请,填写退费申请表并提交材料,审核通过后退回。
refund-materials = 📋 可能需要的材料(以当地要求为准):{ $items }。
refund-proxy = 别人代办的,还要带委托书和代办人的身份证。
refund-money-path = 💰 退款一般原路退回,或者打到您登记的银行账户。
refund-timing = ⏱ 办理时限:材料齐全、审核通过后,一般几个工作日到20个工作日内退回,具体以当地规定为准;进度可以在网上查询。
refund-contact = ☎ 拿不准的,可以问当地医保经办机构、当地医保公众号,或拨打 12333;通过税务交费的,也可以问当地税务热线。

## materials
mat-id-card = 身份证原件和复印件
mat-insurance-card = 社保卡/医保卡原件和复印件
mat-payment-proof = 缴费凭证
mat-bank-card = 本人银行卡(部分地区要填开户行和卡号)
mat-stop-payment-proof = 终止缴费证明
mat-enrolment-record = 参保缴费明细
mat-employee-enrolment-proof = 参加职工医保的证明
mat-household-register = 户口本
mat-moved-out-proof = 户籍迁出证明
mat-death-certificate = 死亡证明
mat-heir-id = 家属(继承人)身份证
mat-subsidy-proof = 资助参保的还需资助证明
