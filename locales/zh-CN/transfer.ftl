## 转移接续 / 两地重复参保 flow (domain.md §4). Guidance messages name their sources: "# seeds: NNN" or
## "# conflict: Cn" (domain.md §8). Jargon is explained in brackets the first time an outcome uses it.

transfer-ask-situation = 您现在是哪种情况？
transfer-situation-move = 换了工作或城市，想把医保转过去
transfer-situation-duplicate = 两个地方都交了医保
transfer-situation-stop-old = 只想停掉原来那边的医保
transfer-ask-both-records = 那我们先确认一下：您现在是不是在两个地方都有缴费记录？
transfer-both-records-yes = 是，两边都有
transfer-both-records-no = 没有，只有一边

transfer-ask-ins-pair = 两边（原来的和现在的）分别是什么医保？
transfer-pair-employee = 两边都是职工医保
transfer-pair-resident = 两边都是居民医保
transfer-pair-mixed = 一边职工医保、一边居民医保
transfer-ask-cross-province = 两个地方是在同一个省，还是跨省？
transfer-province-same = 同一个省内
transfer-province-cross = 跨省
transfer-ask-enrolled-new = 新的地方您已经参保了吗？
transfer-enrolled-yes = 已经参保了
transfer-enrolled-no = 还没有
transfer-ask-lapse = 从原来那边停缴到现在，中间有没有断缴？
transfer-lapse-none = 没有断
transfer-lapse-short = 断了，3个月以内（含3个月）
transfer-lapse-long = 断了，超过3个月

## verdicts: they depend on the pair of schemes (职工医保 years add up, 居民医保 is generally not merged)
# seeds: 004
transfer-verdict-move-employee = ✅ 可以办转移接续：换了工作或城市，职工医保关系可以跟着您转到新地方，缴费年限累计计算，个人账户里的余额也一起转过去。
# seeds: 004
transfer-verdict-move-resident = ✅ 可以把医保关系转到新地方（办转移接续），原来那边的参保随之结束。注意：居民医保一般不做两地合并，不像职工医保那样累计缴费年限。
# seeds: 004
transfer-verdict-move-mixed = ✅ 可以办转移接续。注意：一边职工、一边居民时，职工医保的缴费年限可以累计，居民医保一般不合并，居民医保那几年一般接不到职工医保的年限上，以当地规定为准。
# seeds: 004
transfer-verdict-move-unsure = ✅ 可以办转移接续：医保关系可以跟着您转到新地方。职工医保的缴费年限可以累计；居民医保一般不做合并。
# seeds: 004
transfer-enrol-first = 第一步：先在新地方参保。新地方要您先参保，才受理转移申请。
# seeds: 004
transfer-online = 📱 手机上办：用「国家医保服务平台」APP或支付宝办理；也可以在微信「城市服务」→ 社保综合 → 电子社保卡 → 社保转移网上申请，填好提交，外地的医保关系就转过来了，原来那边的参保随之结束。
# seeds: 004
transfer-offline = 🏢 去窗口办：先带身份证和社保卡，到原来那边的医保经办机构（办理医保业务的部门）办停保；再到新地方的医保经办机构提交转移接续的书面申请。
# seeds: 004
transfer-steps-standard =
    一般流程：
    1. 转出地（原来的地方）：带身份证、社保卡到医保经办机构（办理医保业务的部门）办停保；
    2. 转入地（新的地方）：先参保，再向当地医保经办机构提交转移接续申请；
    3. 转入地审核后联系转出地，两边办理缴费年限累计和个人账户余额转移。
# seeds: 004
transfer-steps-resident =
    一般流程：
    1. 转出地（原来的地方）：带身份证、社保卡到医保经办机构（办理医保业务的部门）办停保；
    2. 转入地（新的地方）：先参保，再向当地医保经办机构提交转移接续申请；
    3. 转入地审核后联系转出地，办理转移接续手续。
# seeds: 004
transfer-short-gap = 中间断了3个月以内的：可以按转入地的规定补缴，交费当月就能享受待遇，断缴那段时间的待遇也可以追溯享受。
# seeds: 004
transfer-tips = 💡 小提示：离职或搬家后尽早办，别让医保断太久；填写时身份证号、社保卡信息一定要准确（只在官方平台上填，不要发到聊天里）。
# seeds: 004
transfer-legal-basis = 依据：按《社会保险法》，在不同统筹地区（医保分别管理的地区）之间流动就业的，医保关系跟着本人转，缴费年限累计计算。
# seeds: 004, 000
transfer-note-pair-unsure = 💡 怎么分：单位代缴或按灵活就业身份每月交的，是职工医保；每年自己交一次的（含新农合），是城乡居民医保。职工医保的缴费年限可以累计，居民医保一般不合并。
# seeds: 004
# conflict: C8
transfer-note-cross-province = 跨省转移提醒：跨省转移可能有前提条件（比如原参保地要先停缴），请先向转出地和转入地的医保部门确认。
# seeds: 004, 002, 003
transfer-contact = ☎ 拿不准的，请问转出地或转入地的医保部门、当地医保公众号，或拨打12333。

# seeds: 004, 001
# conflict: C2
transfer-verdict-long-gap = ⚠ 中间断缴超过3个月：转移接续照常办，但断了这么久，通常不能再补缴，要重新参保，可能还有3到6个月甚至更长的等待期（这段时间医保不报销），以当地规定为准。办完转移，可以点下面了解补缴/重新参保。

# seeds: 004
transfer-verdict-duplicate = ⚠ 同一个人不能重复参保：两边都交了，也只能享受一份待遇，同一笔医疗费不能两边报销。原则上保留主要的参保关系，取消其他重复的。
# seeds: 004
transfer-dup-merge-employee = 两边都是职工医保：按转移接续的流程，把另一边的缴费年限和个人账户转到要保留的这边。
# seeds: 004
transfer-dup-cancel-resident = 居民医保一般不做两地合并：保留一边，把另一边的参保取消就行。
# seeds: 004
transfer-dup-pair-unsure = 两边都是职工医保的，可以按转移接续的流程把年限和个人账户并过来（见「办理步骤」）；居民医保一般不做合并，保留一边、取消另一边就行。
# seeds: 002, 004
transfer-dup-refund = 💰 另一边多交的钱可以申请退，可能要用到那边医保经办机构（办理医保业务的部门）开的参保凭证（证明您在那边参保交费的材料）。同一个市里在市级统筹（全市统一管理医保）之前形成的重复，不退钱，个人账户按规定合并。需要的话，可以点「办理医保退费」。

# seeds: 004
transfer-verdict-emp-res = ⚠ 职工医保和居民医保不能同时享受，只能按自己的情况选一种保留。
# seeds: 004
transfer-emp-res-years = 职工医保的缴费年限可以跨地区累计；居民医保一般不做合并。
# conflict: C3
transfer-emp-res-refund = 重叠那段时间多交的钱能不能退、退多少，各地规定不同：可以向当地申请，以当地审核为准。
# seeds: 004
transfer-emp-res-cancel = 不保留的那一份，可以到参保地的市民服务中心或人社局窗口办理取消，也可以用微信「城市服务」→ 社保综合 → 电子社保卡 → 社保转移网上申请。

# seeds: 004
transfer-verdict-cancel = 只想停掉原来那边的医保，可以办理取消（停保）。
# seeds: 004
transfer-cancel-offline = 🏢 去窗口办：带上身份证和社保卡，到原参保地的市民服务中心或人社局窗口办理取消。
# seeds: 004
transfer-cancel-online = 📱 手机上办：微信「城市服务」→ 社保综合 → 电子社保卡 → 社保转移网上申请，填好提交。这样会把外地的医保转到您现在所在的地方，原来那边的参保也就取消了。
# seeds: 004
transfer-cancel-warning = ⚠ 注意：停掉后如果别处没有参保，从断缴的下个月起就不能用医保报销了。最好先在新地方参保，再停原来的，别让医保断档。
