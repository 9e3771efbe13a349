## Sentences the dialogue manager adds: out-of-scope replies, the FAQ list, shared follow-up buttons.

oos-reply = 抱歉，这个问题不在本助手的服务范围内。本助手可以一步一步教您办：医保退费、转移接续、家庭共济、补缴/重新参保、医保卡激活，也能回答一些常见的医保问题。
oos-ask-local = 这类医保、社保方面的问题（比如报销比例、门特、异地就医、养老保险、缴费基数等），建议咨询当地医保部门，或拨打 { $hotline }。
oos-health = 身体方面的问题，本助手不提供医疗建议，请及时到正规医院就诊。
oos-other = 如果需要帮助，也可以回复「转人工」，或拨打 { $hotline }。
oos-in-flow = 我们先接着刚才的问题：

opt-faq = 常见问题
opt-faq-more = 更多常见问题
opt-go-refund = 办理医保退费
opt-go-family = 了解家庭共济怎么办
opt-go-family-bind = 了解怎么绑定家人
opt-card-got-it = 卡已拿到，继续激活
opt-faq-lapse-effects = 断缴有什么影响
opt-faq-new-6m = 新参保多久能报销
opt-back-to-flow = 继续刚才的办理
dialogue-same-errand = 我们正在办「{ $title }」，请接着回答下面这个问题：
dialogue-confirm-restart = 您说的情况和刚才的回答不一样。要按新的情况重新办「{ $title }」吗？
oos-social = 养老金、工伤、失业、生育待遇这类问题属于社保（人社）部门的业务，请咨询当地人社部门，或拨打 12333。
oos-housing-fund = 公积金的问题（提取、贷款等）请咨询当地住房公积金管理中心，或拨打 12329。
dialogue-pick-option = 这个问题需要从下面的选项里选一个，请点选或回复序号。
dialogue-options-explain = 还是没能明白您的意思。请直接点下面最接近的一项（也可以回复序号）；都不符合的话，可以选「转人工」。
dialogue-unsure-no-option = 没关系。这个问题请选最接近的一项；实在拿不准，可以选「转人工」，或者拨打 { $hotline } 问一下。
dialogue-corrected = 好的，按您更正的回答来。
dialogue-errand-dropped = 好的，「{ $title }」先不办了。还有别的需要吗？
