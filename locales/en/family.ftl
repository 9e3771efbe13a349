## Family account sharing (domain.md §5).

family-ask-intent = What would you like to know?
family-intent-share = Let my family use my insurance (bind family sharing)
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
family-ask-same-area = Is this relative insured in the same city (same pooling region) as you?
family-area-same = Same place
family-area-different = A different place
family-ask-channel = Where would you like to bind them?
family-channel-app = National Medical Insurance Service Platform app
family-channel-wechat = WeChat official account
family-channel-alipay = Alipay
family-channel-offline = At a service window

## outcomes
family-no-lending = ❌ An insurance card must not be lent — not even to family. It is a real-name identity credential that only the insured person may use; seeing a doctor or buying medicine on someone else's card counts as medical-insurance fraud.
family-no-lending-penalty = The consequences are serious: the money obtained must be repaid, with a fine of 2 to 5 times that amount; in serious cases card settlement is suspended for 3 to 12 months. The pooled fund belongs to everyone and can never be passed to relatives.
family-no-lending-alternative = The legal way is family sharing: an employee-insurance member can authorise a spouse, parents or children insured in the same pooling region to pay their own out-of-pocket share from the member's personal account. Shall I show you how to bind them?
family-no-lending-short = Reminder: family sharing shares the personal-account money, not the card itself — you still may not use someone else's card.
family-what-is-shared = Note: family sharing lets relatives use the money in an employee-insurance personal account for their own out-of-pocket costs; the pooled fund is never shared and the card cannot be lent.
family-verdict-ok = ✅ Usually possible: your { $relation }, insured in the same pooling region, can be bound for family sharing (called a "family account" in some places). They can then pay their own out-of-pocket costs from your personal account.
family-caveat-resident = Note: the family sharing described in the sources is for the employee-insurance personal account; whether and how it works for resident insurance, please ask your local insurance office.
family-caveat-area-unsure = Note: family sharing normally requires the relative to be insured in the same pooling region (usually the same city); you can check where they are insured in the insurance app.
family-steps-app = 📱 National Medical Insurance Service Platform app: on the home page find "亲情账户" (family account; some versions say "医保家庭共济" or "添加我的家庭成员") → bind by ID number → enter the relative's name and ID number → upload what the page asks for → submit; it works once approved.
family-steps-wechat = 📱 WeChat: follow the National Healthcare Security Administration account (国家医保局) → Medical insurance services → Family account → verify your identity → bind; or use your local insurance account (e.g. Dalian's 大连市医疗保障局): add a family account, enter the relative's insurance details and social-security number, choose the relation (parent / child / spouse), authorise.
family-steps-alipay = 📱 Alipay: Citizen Centre → Medical insurance services → 医保家庭共济 (family sharing) → add an insured person → submit and wait for approval.
family-steps-offline = 🏢 At a window: check that the relation qualifies, then bring your ID card, insurance card and proof of the relationship (e.g. household register) to the insurance centre, social-insurance office or card service centre; it can be used once the personal-account money has been transferred.
family-upload-note = What to upload differs by place: follow the page — proof of identity (e.g. ID card or household-register photos) or a personal commitment letter. Enter your relative's ID number only on the official platform, never in this chat.
family-after-binding = After binding, your relative can use your personal-account money for their own out-of-pocket share when seeing a doctor or buying medicine; the reimbursement itself still goes through their own insurance.
family-use-what = Once bound, the authorised relative can use the money in your personal account — but only for their own out-of-pocket share of medical bills; reimbursement still comes from their own insurance.
family-use-pay = How exactly to pay at the counter (card or QR code, how to choose the family account) differs between hospitals and places — please ask the hospital or your local insurance office.
family-other-relative = The sources only name spouse, parents and children as relatives who can be bound. For other relatives, please check with your local insurance office first.
family-other-area = A relative insured in a different pooling region usually does not meet the same-region condition, so binding is normally not possible. Ask your local insurance bureau whether any cross-region arrangement exists.
family-contact = ☎ Questions? Ask your local insurance office or its official account, or call 12333.
