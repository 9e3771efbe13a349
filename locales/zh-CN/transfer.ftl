## 转移接续 / 两地重复参保 flow (domain.md §4).

transfer-ask-situation = 您现在是哪种情况?
transfer-situation-move = 换了工作或城市,想把医保转过去
transfer-situation-duplicate = 两个地方都交了医保
transfer-situation-stop-old = 只想停掉原来那边的医保
transfer-ask-both-records = 那我们先确认一下:您现在是不是在两个地方都有缴费记录?(可以在医保APP或公众号里查参保缴费记录)
transfer-both-records-yes = 是,两边都有
transfer-both-records-no = 没有,只有一边

transfer-ask-ins-pair = 两边(原来的和现在的)分别是什么医保?
transfer-pair-employee = 两边都是职工医保
transfer-pair-resident = 两边都是居民医保
transfer-pair-mixed = 一边职工医保、一边居民医保
transfer-ask-cross-province = 两个地方是在同一个省,还是跨省?
transfer-province-same = 同一个省内
transfer-province-cross = 跨省
transfer-ask-enrolled-new = 新的地方您已经参保了吗?
transfer-enrolled-yes = 已经参保了
transfer-enrolled-no = 还没有
transfer-ask-lapse = 从原来那边停缴到现在,中间有没有断缴?
transfer-lapse-none = 没有断
transfer-lapse-short = 断了,3个月以内(含3个月)
transfer-lapse-long = 断了,超过3个月

## verdicts and steps
transfer-verdict-move = ✅ 可以办理转移接续:换了工作或城市,医保关系可以跟着您走,缴费年限可以接上,个人账户里的钱也能一起转过去。
transfer-enrol-first = 第一步要先在新的地方参保:转入地需要您已经参保,才能受理转移申请。可以按当地方式参加职工医保(有单位或灵活就业)或居民医保。
transfer-steps-standard =
    一般流程:
    1. 转出地(原来的地方):带身份证和社保卡到医保经办机构,办理停保;
    2. 转入地(新的地方):先参保,再向当地医保经办机构提交转移接续申请(书面申请);
    3. 转入地审核后联系转出地,两边核对缴费年限,并把个人账户余额转过来。
transfer-online = 📱 手机上办:可以用「国家医保服务平台」APP或支付宝办理;也可以在微信里找「城市服务」→ 社保综合 → 电子社保卡 → 社保转移网上申请,填好信息提交。这样办会把外地的医保关系转到本地,外地那边的参保随之结束。
transfer-offline = 🏢 去窗口办:带上身份证和社保卡,先到转出地医保经办机构办停保,再到转入地医保经办机构(或市民服务中心、人社局服务窗口)提交转移接续申请。
transfer-short-gap = 中间断了3个月以内的:按转入地的规定补缴,一般从补缴当月起恢复待遇,断缴那几个月的费用也可以追溯报销。
transfer-tips = 💡 小提示:离职或搬家后尽早申请,断档时间越短越好;填写时身份证号、社保卡号一定要核对准确(这些信息只在官方平台上填写,不要发到聊天里)。
transfer-legal-basis = 依据:按照《社会保险法》,在不同统筹地区之间流动就业的,医保关系随本人转移,缴费年限累计计算。
transfer-note-employee-years = 职工医保的缴费年限在不同地区之间可以累计。
transfer-note-resident = 居民医保一般按年在户籍地或居住地参保,两地的居民医保通常不做合并,转过去后在新地方按年缴费即可。
transfer-note-cross-province = 跨省转移提醒:跨省转移可能有前提条件(例如原参保地需要先停止缴费),请事先向转出地和转入地的医保部门确认。
transfer-contact = ☎ 拿不准的,请咨询转出地或转入地的医保经办机构、当地医保公众号,或拨打 12333。

transfer-verdict-duplicate = ⚠ 同一个人不能重复参保:两边都交了,也只能享受其中一份待遇,同一笔医疗费用不能在两边重复报销。
transfer-keep-main = 建议保留「主要」的那一份(一般是您现在工作或长期居住的地方),把另一份停掉;如果想把另一边的年限和个人账户合并过来,就按转移接续的流程办理。
transfer-dup-refund = 另一边多交的钱可以申请退还:申请时可能需要那边医保经办机构出具的参保凭证。同一个城市内因为以前分区统筹造成的重复,一般不退钱,而是合并个人账户。需要的话,可以接着办「医保退费」。
transfer-verdict-emp-res = ⚠ 职工医保和居民医保不能同时享受,只能选一种保留。一般来说,有单位或按灵活就业身份交职工医保的,保留职工医保更划算(待遇通常更高)。
transfer-emp-res-years = 职工医保的缴费年限可以跨地区累计;居民医保一般不做合并。
transfer-emp-res-refund = 重叠期间多交的那份能不能退、退多少,各地说法不一:可以向当地申请,结果以当地审核为准。
transfer-verdict-long-gap = 中间断缴超过3个月:转移接续照常办理,但断档时间较长,通常不能再补缴,需要重新参保,而且可能有3到6个月甚至更长的等待期,以当地规定为准。建议先办转移,再接着了解补缴/重新参保。

transfer-verdict-cancel = 只想停掉原来那边的医保,可以办理停保(终止参保)。
transfer-cancel-offline = 🏢 去窗口办:带上身份证和社保卡,到原参保地的市民服务中心或人社局(医保经办)窗口申请停保。
transfer-cancel-online = 📱 手机上办:可以在微信里找「城市服务」→ 社保综合 → 电子社保卡 → 社保转移网上申请,把医保关系转到新的地方,原来那边的参保也就随之结束;各地入口名称可能不同,以当地为准。
transfer-cancel-warning = 注意:停掉后如果没有在别处参保,下个月起就不能报销了。建议先在新的地方参保,再停原来的,避免断档。
