## Transfer between regions / insured in two places (domain.md §4). Chinese names of menus and apps stay
## beside the translation.

transfer-ask-situation = Which situation are you in?
transfer-situation-move = I moved (new job or city) and want to take my insurance along
transfer-situation-duplicate = I have paid insurance in two places
transfer-situation-stop-old = I only want to stop the cover at my old place
transfer-ask-both-records = Let's check first: do you currently have payment records in two places?
transfer-both-records-yes = Yes, in both places
transfer-both-records-no = No, only in one place

transfer-ask-ins-pair = What kind of insurance do you have on each side (old place and new place)?
transfer-pair-employee = Employee insurance on both sides
transfer-pair-resident = Resident insurance on both sides
transfer-pair-mixed = Employee on one side, resident on the other
transfer-ask-cross-province = Are the two places in the same province, or in different provinces?
transfer-province-same = Same province
transfer-province-cross = Different provinces
transfer-ask-enrolled-new = Have you already enrolled at the new place?
transfer-enrolled-yes = Yes, already enrolled
transfer-enrolled-no = Not yet
transfer-ask-lapse = Since payments stopped at the old place, has there been a gap without cover?
transfer-lapse-none = No gap
transfer-lapse-short = A gap of 3 months or less
transfer-lapse-long = A gap of more than 3 months

## verdicts: they depend on the pair of schemes
transfer-verdict-move-employee = ✅ You can transfer (转移接续): when you change job or city, your employee-insurance relationship moves with you, your contribution years add up and the personal-account balance moves too.
transfer-verdict-move-resident = ✅ You can move your insurance relationship to the new place (转移接续); the cover at the old place then ends. Note: resident insurance is generally not merged between two places, and its years do not add up the way employee-insurance years do.
transfer-verdict-move-mixed = ✅ You can transfer (转移接续). Note: with employee insurance on one side and resident insurance on the other, employee-insurance years add up but resident insurance is generally not merged, so the resident years usually do not count towards employee insurance; local rules decide.
transfer-verdict-move-unsure = ✅ You can transfer (转移接续): the insurance relationship can move with you to the new place. Employee-insurance years add up; resident insurance is generally not merged.
transfer-enrol-first = First step: enrol at the new place. The new place accepts a transfer only once you are insured there.
transfer-online = 📱 On your phone: use the 「国家医保服务平台」 (National Medical Insurance Service Platform) app or Alipay (支付宝); or in WeChat go to 「城市服务」 (City Services) → 社保综合 (Social insurance) → 电子社保卡 (Electronic social-security card) → 社保转移网上申请 (online transfer application), fill it in and submit; this brings the insurance over from the other place and ends it there.
transfer-offline = 🏢 At a window: take your ID card and social-security card to the old place's insurance office (医保经办机构, the office that handles insurance business) to stop the cover there; then file a written transfer application at the new place's insurance office.
transfer-steps-standard =
    The usual steps:
    1. Old place (转出地): take your ID card and social-security card to the insurance office (医保经办机构, the office that handles insurance business) and stop the cover;
    2. New place (转入地): enrol first, then file the transfer application with the local insurance office;
    3. The new place reviews it and contacts the old one; the two add up your contribution years and move the personal-account balance.
transfer-steps-resident =
    The usual steps:
    1. Old place (转出地): take your ID card and social-security card to the insurance office (医保经办机构, the office that handles insurance business) and stop the cover;
    2. New place (转入地): enrol first, then file the transfer application with the local insurance office;
    3. The new place reviews it and contacts the old one to complete the transfer.
transfer-short-gap = A gap of 3 months or less can be back-paid under the new place's rules; benefits apply from the month you pay, and the gap months are covered retroactively.
transfer-tips = 💡 Tips: apply soon after leaving your job or moving so the gap stays short, and make sure your ID and card details are exact (enter them only on the official platform, never in this chat).
transfer-legal-basis = Legal basis: under the Social Insurance Law (《社会保险法》), a person who works in different pooling regions (统筹地区, areas whose insurance is managed separately) takes the insurance relationship along, and contribution years are added up.
transfer-note-pair-unsure = 💡 How to tell: if your employer pays it, or you pay monthly as a flexible worker, it is employee insurance (职工医保); if you pay once a year yourself (including the rural cooperative scheme 新农合), it is urban-rural resident insurance (城乡居民医保). Employee-insurance years add up; resident insurance is generally not merged.
transfer-note-cross-province = Cross-province note: a transfer between provinces may have preconditions (for example, payments at the old place must have stopped). Please confirm with the insurance departments at both places first.
transfer-contact = ☎ If unsure, ask the insurance department at either place, the local insurance official account, or call 12333.

transfer-verdict-long-gap = ⚠ A gap of more than 3 months: the transfer itself works as usual, but such a gap usually cannot be back-paid; you re-enrol, possibly with a waiting period of 3–6 months or longer (the insurance pays nothing during it), depending on local rules. After the transfer, see back-payment / re-enrolment below.

transfer-verdict-duplicate = ⚠ Nobody may be insured twice: even with two enrolments you can use only one, and the same medical bill cannot be claimed in both places. As a rule, keep the main relationship and cancel the other duplicates.
transfer-dup-merge-employee = Employee insurance on both sides: follow the transfer steps to move the other side's contribution years and personal account to the side you keep.
transfer-dup-cancel-resident = Resident insurance is generally not merged between two places: keep one and cancel the enrolment on the other side.
transfer-dup-pair-unsure = If both sides are employee insurance, follow the transfer steps to bring the other side's years and personal account over (see "Steps"); resident insurance is generally not merged: keep one side and cancel the other.
transfer-dup-refund = 💰 The extra payment on the other side can be reclaimed; you may need an enrolment certificate (参保凭证, proof that you were insured and paid there) from that side's insurance office (医保经办机构, the office that handles insurance business). Duplicates within one city from before city-wide pooling (市级统筹, the whole city managed as one) are not refunded; the personal accounts are merged under the rules. Tap "Apply for a refund" if you need it.

transfer-verdict-emp-res = ⚠ Employee and resident insurance cannot both be used: keep one of them, as suits your situation.
transfer-emp-res-years = Employee-insurance years add up across regions; resident insurance is generally not merged.
transfer-emp-res-refund = Whether the overlapping payment is refunded, and how much, differs between places: you may apply, and the local review decides.
transfer-emp-res-cancel = Cancel the one you do not keep at the citizen service centre (市民服务中心) or human-resources bureau (人社局) window where you are insured, or in WeChat 「城市服务」 (City Services) → 社保综合 → 电子社保卡 → 社保转移网上申请.

transfer-verdict-cancel = If you only want to end the cover at your old place, you can have it cancelled (停保).
transfer-cancel-offline = 🏢 At a window: take your ID card and social-security card to the citizen service centre (市民服务中心) or the human-resources bureau (人社局) window at the old place and ask to cancel the cover.
transfer-cancel-online = 📱 On your phone: in WeChat 「城市服务」 (City Services) → 社保综合 (Social insurance) → 电子社保卡 (Electronic social-security card) → 社保转移网上申请 (online transfer application), fill it in and submit. This moves the insurance from the other place to where you are now, which cancels it at the old place.
transfer-cancel-warning = ⚠ Note: once stopped, the insurance pays nothing from the month after the gap starts unless you are insured elsewhere. Enrol at the new place first, then stop the old one, so there is no gap.
