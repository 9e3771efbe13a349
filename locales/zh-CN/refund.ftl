## 退费 flow (domain.md §3). Guidance messages name their sources: "# seeds: NNN" (../shared/seeds) or
## "# conflict: Cn" (domain.md §8). Jargon is explained in brackets the first time an outcome uses it.

refund-ask-ins-type = 请问您交的是哪一种医保？
refund-ask-reason = 您想退费的原因是哪一种？
refund-reason-duplicate = 重复缴费（交重复了）
refund-reason-error = 缴错了/多缴了
refund-reason-joined-employee = 已经参加了职工医保
refund-reason-death = 参保人去世
refund-reason-moved = 户口迁出/出国定居
refund-reason-prison = 服刑等特殊情况
refund-reason-retired = 退休后还在缴费（多缴）
refund-reason-unemployed = 领失业金期间又自己交了
refund-reason-voluntary = 不想交了/想停保退钱

refund-ask-dup-scope = 是哪种重复？
refund-dup-same = 同一个地方交了两次
refund-dup-two-regions = 两个地方各交了一份
refund-dup-emp-res = 职工医保和居民医保都交了
refund-dup-two-employers = 两个单位都给交了

refund-ask-death-timing = 参保人是什么时候去世的？（待遇享受期：交费后可以用医保报销的那段时间）
refund-death-before = 待遇享受期开始之前
refund-death-during = 待遇享受期之内
refund-ask-used = 这个参保年度里，有没有用这份医保看过病、买过药或报销过？
refund-used-yes = 用过
refund-used-no = 没用过
refund-ask-platform = 您想用哪个平台办？
refund-platform-insurance = 当地医保公众号
refund-platform-tax = 税务APP或税务公众号
refund-platform-miniapp = 支付宝/微信小程序

## verdicts
# seeds: 000, 001
refund-verdict-dup-same = ✅ 可以申请退费：同一个人在同一个统筹地区（同一个医保管理地区）重复参保、重复交了费，可以申请退掉多出来的那份，退回重复交的钱。
# seeds: 004, 002
refund-verdict-dup-two-regions = ⚠ 两个地方各交了一份：医保关系只能留一个，原则上保留主要的参保关系，取消其他重复的参保关系。另一边多交的钱可以申请退，申请时可能要用到那边医保经办机构（办理医保业务的部门）开的参保凭证（证明您在那边参保交费的材料）。
# conflict: C3
refund-verdict-dup-emp-res = 可以申请，结果以当地审核为准：同一时期交了职工医保和居民医保，两种只能留一种。重叠那部分能不能退、退多少，各地规定不同，有的地方不退。建议先定下保留哪一种，再申请退另一份。
# seeds: 000, 001
refund-verdict-error = ✅ 可以申请退费：因为系统、工作人员或单位的差错，重复交了或多交了的，可以退。申请时最好带上参保缴费明细作证明。
# seeds: 001, 002
refund-verdict-error-employee = ✅ 可以申请退费：因为单位或系统的差错多交的，可以退。职工医保因为医保经办机构（办理医保业务的部门）失误或系统故障没能停保、多交了费，而这段时间没有享受过医保待遇的，也可以申请退。
# conflict: C3
# seeds: 000
refund-verdict-joined-employee = 可以申请，结果以当地审核为准：居民医保参保人后来参加了职工医保，属于可以申请退费的情形；不过同一时期两种医保都交了的部分，有的地方规定不退。只是自己不想要居民医保了，是不能退的。
# seeds: 000, 001
refund-verdict-moved = ✅ 可以申请退费：户口迁出本地的，可以申请退还剩下的保费；出国定居的，可以申请终止居民医保。
# seeds: 000
refund-verdict-moved-employee = 户口迁出可以退费，是城乡居民医保的规定；职工医保能不能退、怎么退，请到当地医保窗口问清楚。
# seeds: 000
refund-verdict-prison-employee = 服刑可以申请退费，是城乡居民医保的规定；职工医保能不能退、怎么退，请到当地医保窗口问清楚。
# seeds: 002
refund-verdict-joined-employee-employee = 可以申请，以当地审核为准：以个人身份按年交费、享受了优惠方案，后来转成单位参保职工的，按优惠方案算出的金额退还。
# seeds: 000
refund-verdict-prison = 服刑属于可以申请退费的特殊情形，具体怎么退各地差别较大，请到当地医保窗口办理，由工作人员核实。

# conflict: C11
refund-caveat-used-duplicate = ⚠ 今年用医保报销过：重复或多交的部分一般还能申请退，但有的地方当年享受过医保待遇就不退，以当地审核为准。
# seeds: 000
# conflict: C5
refund-caveat-used-unsure = ⚠ 提醒：这个参保年度已经享受过医保待遇（用医保看病、报销过）的，一般不能退，以当地审核为准。
# seeds: 000, 002, 003
refund-note-type-unsure = 💡 下面的退费入口是城乡居民医保的；如果其实是职工医保，请到当地医保窗口申请。

## notes (one tap away)
# seeds: 000, 002
refund-note-subsidy = 资助参保的人员（参保费有资助的人）要先结清应缴的金额，再申请退费；去窗口时带上资助证明。
# seeds: 002
refund-note-city-pooling = 注意：同一个市里，在实行市级统筹（全市统一管理医保）之前，因为在不同统筹地区（医保分别管理的地区）重复交的费，不退，个人账户按规定合并。
# seeds: 002
refund-note-preferential = 个人参保、按年交费并享受了优惠方案，后来转成单位参保职工的，按优惠方案算出的金额退还。
# seeds: 003
refund-note-death-account = 个人账户里还有余额的，法定继承人可以申请领取。
# seeds: 000
refund-note-true-materials = 网上上传的材料要真实完整；因为材料问题没办成，要自己承担，需要重新提交。

## non-refundable and redirect outcomes
# seeds: 001, 002, 003
refund-no-voluntary = ❌ 一般不能退：正常交的医保费，不能因为不想交了、停保了就退钱；职工医保交了几年后不交了，也是一样。自己选的缴费档次，比如一档（缴费标准中的一个档次）、二档，也不能用「退保」「转档」的名义把钱退回来。
# seeds: 003, 004
refund-no-voluntary-next = 如果其实是重复缴费、缴错、参保人去世或户口迁出，可以说「返回」重新选原因。停缴后从下个月起就不能用医保报销了；想恢复，可以点下面的选项了解断缴的影响和补缴、重新参保。
# seeds: 000, 003
# conflict: C5
refund-no-used = ❌ 一般不能退：这个参保年度已经享受过医保待遇（用医保看过病、报销过）的，当年的保费不退。居民医保进入待遇享受期（交费后可以用医保报销的那段时间）后，个人交的部分一般也不退；在集中缴费期（一般是每年9月到12月）内申请的，当年交的钱一般还能退。
# seeds: 000
refund-no-used-dispute = 如果您觉得情况特殊，可以到当地医保窗口说明情况，或点「转人工」。
# seeds: 002
refund-dup-two-employers-verdict = 两个单位同时给您交了职工医保：单位交的那部分不退，您的个人账户按规定合并。
# seeds: 004
refund-dup-two-employers-next = 重复参保的，原则上保留主要的参保关系，取消其他重复的。具体怎么办，请问当地医保经办机构（办理医保业务的部门）。
# seeds: 002
refund-retired-verdict = ✅ 可以申请：退休后缴费年限已经够了还在继续交的，多交的月份可以退，但这几个月记进个人账户的钱会扣回；退休时补交了不够的年限，重新核算后发现多交的，也可以退。
# seeds: 002
refund-unemployed-verdict = ✅ 可以申请：领失业保险金期间，失业保险经办机构（办理失业保险业务的部门）已经替您交了医保；同一时期您又以个人身份交了职工医保的，可以在第二年申请退回这部分。
# seeds: 000, 002
# conflict: C6
refund-death-verdict = 参保人去世，属于可以申请退费的情形，原则上退还剩下的保费，退多少要看去世的时间。请家属带上死亡证明，到当地医保窗口办理。
# seeds: 002
refund-death-verdict-before = 已经交了下一年的城乡居民医保、在待遇享受期（交费后可以用医保报销的那段时间）开始前去世的，可以全额退。
# seeds: 002, 003
refund-death-verdict-during = 在待遇享受期（交费后可以用医保报销的那段时间）内去世的，法定继承人可以申请退回没享受待遇那段时间的费用；个人参保、按一档（一种缴费标准）按年交费的，已经划进统筹基金（大家共用的医保基金）和大额医保的部分不退。
# seeds: 002, 003
# conflict: C6
refund-death-verdict-unknown = 退多少看去世的时间：在待遇享受期（交费后可以用医保报销的那段时间）开始前去世的，一般可以全额退；期内去世的，一般退还没享受待遇那段时间的费用。窗口会按实际情况核算。

## how to apply
# seeds: 000, 003
refund-steps-insurance = 📱 用医保公众号办（以「阜阳医疗保障」为例）：医保服务 → 医保服务站 → 我要办 → 城乡居民退费登记 → 按提示上传材料提交 → 等审核。
# seeds: 002, 003
refund-steps-tax = 📱 用税务渠道办（以「重庆税务」公众号为例）：网上办税 → 个人社保 → 社保费办理 → 城乡居民医保退费；也可以在税务APP（如「重庆税务」「楚税通」）里找社保费退费 → 城乡居民医保退费。
# seeds: 003
refund-steps-miniapp = 📱 用支付宝或微信小程序办：搜索当地的社保缴费小程序（以「重庆社保缴费」为例）→ 社保费办理 → 提交退费申请。
# seeds: 002, 003
refund-steps-online-generic = 一般步骤：用身份证号或手机号登录 → 选退费类型（如重复缴费、缴费错误），核对缴费年度和期间 → 上传身份证、缴费凭证、银行账户信息 → 提交 → 在平台上查看审核进度。
# seeds: 000, 002
refund-steps-offline = 🏢 去窗口办：到当地医保中心（社保中心），或医保局、税务局的窗口 → 填退保申请表 → 交材料 → 等审核 → 按通知领取退款。
# seeds: 000, 002
# conflict: C10
refund-steps-offline-form = 退保申请表的名称各地不同，可能叫《城乡居民基本医疗保险退保申请表》或《城镇居民基本医疗保险退保申请表》。有的地方审核通过后，要拿《城镇居民基本医疗保险退款单》到财务结算窗口领取退费。
# seeds: 000, 002
refund-steps-offline-employee = 🏢 怎么办：职工医保的退费，符合条件的参保单位或本人都可以申请。到当地医保局或税务局的窗口，填写退费申请表、交上材料，等审核，审核通过后退回。
# seeds: 000, 002, 003
refund-materials = 📋 可能要带的材料（以当地要求为准）：{ $items }。
# seeds: 003
refund-proxy = 请别人代办的，还要有委托书和代办人的身份证。
# seeds: 002, 003
refund-money-path = 💰 钱一般原路退回，或者退到您提供的银行账户。
# seeds: 000, 002, 003
# conflict: C1
refund-timing = ⏱ 多久到账：材料齐全、审核通过后，一般几个工作日到20个工作日内退回，以当地规定为准；进度可以在网上查询。
# seeds: 000, 003
refund-contact = ☎ 拿不准的，可以问当地医保部门、当地医保公众号，或拨打12333；通过税务交费的，也可以问当地税务热线。

## materials
# seeds: 000
mat-id-card = 身份证原件和复印件
# seeds: 000
mat-insurance-card = 社保卡/医保卡原件和复印件
# seeds: 002, 003
mat-payment-proof = 缴费凭证
# seeds: 000
mat-bank-card = 本人银行卡（部分地区要填开户行名称和卡号）
# seeds: 003
mat-stop-payment-proof = 终止缴费证明
# seeds: 002
mat-other-region-proof = 另一地医保经办机构开的参保凭证
# seeds: 001
mat-enrolment-record = 参保缴费明细
# seeds: 001, 002
mat-household-register = 户口本
# seeds: 000
mat-moved-out-proof = 户籍迁出证明
# seeds: 002
mat-death-certificate = 死亡证明
# seeds: 002
mat-subsidy-proof = 资助参保的还要资助证明
