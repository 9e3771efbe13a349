## Family sharing (家庭共济 / 亲情账户) flow (domain.md §5). Sources are named in the zh-CN file.

family-ask-intent = What would you like to know?
family-intent-share = Let my family use my insurance (bind family sharing, 家庭共济)
family-intent-use = Already bound — how does my relative use it
family-intent-lend = Lend my insurance card to a relative
family-intent-borrow = Use someone else's insurance at the doctor
family-ask-ins-type = Which insurance do you yourself have?
family-ask-relation = How is the relative related to you?
family-relation-spouse = Spouse (husband / wife)
family-relation-parent = Parent
family-relation-child = Child
family-relation-other = Another relative (sibling, grandparent, in-law …)
family-relation-name-spouse = spouse
family-relation-name-parent = parent
family-relation-name-child = child
family-relation-name-other = relative
family-ask-same-area = Is this relative insured in the same place as you? (Family sharing needs the same "pooling region", 统筹区: the area whose medical insurance is run and reimbursed as one — in many places one city.)
family-area-same = Same place
family-area-different = A different place
family-area-unsure = I don't know where they are insured
family-ask-channel = Where would you like to bind them?
family-channel-app = National Medical Insurance Service Platform app (国家医保服务平台)
family-channel-wechat = WeChat official account (公众号)
family-channel-alipay = Alipay (支付宝)
family-channel-offline = At a service window

## buttons of detail sections (flows.base.Detail)
family-detail-why = ❓ Why not

## binding outcomes
family-verdict-ok = ✅ Usually possible: you have employee insurance (职工医保) and your relative is insured in the same pooling region, so you can bind your { $relation } for family sharing (家庭共济, called 亲情账户 "family account" in some places). They can then pay their own out-of-pocket share of medical bills from your personal account (个人账户).
family-verdict-check = ⚠ Possibly, but check what follows first: family sharing lets an employee-insurance member authorise a spouse, parents or children in the same pooling region to use their personal-account money.
family-caveat-resident = 👉 Family sharing as usually described shares an employee-insurance (职工医保) personal account; whether resident insurance (居民医保) allows it, please ask your local insurance office first.
family-caveat-type-unsure = 👉 First check that you have employee insurance (职工医保: deducted by an employer, or paid monthly as a flexible worker); for resident insurance, ask your local insurance office.
family-caveat-area-unsure = 👉 Check in the insurance app where your relative is insured: binding needs the same pooling region (统筹区).
family-steps-app = 📱 National Medical Insurance Service Platform app (国家医保服务平台): on the home page find 「亲情账户」 (family account; it may also read 「医保家庭共济」 or 「添加我的家庭成员」) → choose 「使用身份证号绑定」 (bind by ID number) → enter the relative's name and ID number → upload what the page asks for → submit; it works once approved.
family-steps-wechat = 📱 WeChat: follow the 「国家医保局」 official account (National Healthcare Security Administration) → 医保服务 (insurance services) → 亲情账户 (family account) → verify your identity → bind your relative.
family-steps-wechat-local = Your local insurance official account also works (e.g. 「大连市医疗保障局」, Dalian): add a 亲情账户, enter the relative's insurance details and social-security number, choose the relation, confirm the authorisation.
family-steps-alipay = 📱 Alipay (支付宝): 市民中心 (Citizen Centre) → 医保服务 (insurance services) → 医保家庭共济 (family sharing) → 添加参保人员 (add an insured person) → submit and wait for approval.
family-steps-offline = 🏢 In person: bring your ID card, insurance card and proof of the relationship to the local insurance centre (医保中心), social-security card service centre (社保卡服务中心) or social-insurance office (社保经办机构, the counter that handles social insurance).
family-upload-note = 📋 What to upload differs by place: follow the page — proof of identity (e.g. photos of the ID card or household register, 户口本) or a personal commitment letter (个人承诺书). Enter your relative's ID number only on the official platform, never in this chat.
family-offline-materials = 📋 Bring your ID card, insurance card and proof of the relationship. Afterwards the personal-account money has to be transferred over (划转: moved from your account into the shared one) before it can be used.
family-after-binding = After binding, your relative can use your personal-account money for their own out-of-pocket share when seeing a doctor or buying medicine. The card itself still may not be lent, and the pooled fund (统筹基金, the money everyone pays in for reimbursements) is never shared.
family-relation-check = The relatives who can usually be bound are spouse, parents and children; at the window, check first that the relation qualifies.

## other outcomes
family-no-lending = ❌ An insurance card must not be lent — not even to family: it is in your name and only you may use it. Seeing a doctor or buying medicine on someone else's card is medical-insurance fraud: the money must be repaid with a fine of 2 to 5 times the amount, and in serious cases the card is suspended for 3 to 12 months.
family-no-lending-alternative = ✅ The legal way is family sharing (家庭共济): an employee-insurance member can authorise a spouse, parents or children in the same pooling region (统筹区, in many places one city) to pay their own out-of-pocket costs from the member's personal account. Tap below to see how to bind them.
family-no-lending-penalty = Why not: personal-account money is for you, or for relatives you authorise through family sharing; the pooled fund (统筹基金) is everyone's money and can never be passed to relatives. Lending a card means repaying the money obtained and a fine of 2 to 5 times that amount; in serious cases the card is suspended for 3 to 12 months.
family-use-what = Once bound, the authorised relative can use the money in your personal account — but only for their own out-of-pocket share of medical bills.
family-use-pay = How exactly to pay at the counter (card or QR code, how to choose the family account) differs between hospitals and places — please ask the hospital or your local insurance office.
family-no-lending-short = Reminder: what is shared is the personal-account money, not the card itself — you still may not use someone else's card.
family-other-relative = ⚠ The relatives who can usually be bound for family sharing are spouse, parents and children. For other relatives, please check with your local insurance office (its window or 医保公众号) first.
family-other-area = ⚠ A relative insured in a different pooling region (统筹区, in many places a different city) usually does not meet the condition, so binding is normally not possible. Ask your local insurance bureau whether there is another way.
family-what-is-shared = Note: family sharing lets relatives use the money in an employee-insurance personal account (个人账户) for their own out-of-pocket costs; the pooled fund (统筹基金) is never shared and the card cannot be lent.
family-contact = ☎ Questions? Ask your local insurance window or its official account (医保公众号), or call 12333.
