## Transfer between regions / insured in two places (domain.md §4).

transfer-ask-situation = Which situation are you in?
transfer-situation-move = I moved (new job or city) and want to take my insurance along
transfer-situation-duplicate = I have paid insurance in two places
transfer-situation-stop-old = I only want to stop the cover at my old place
transfer-ask-both-records = Let's check first: do you currently have payment records in two places? (You can see your payment history in the insurance app or official account.)
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

## verdicts and steps
transfer-verdict-move = ✅ You can transfer: when you change job or city, your medical-insurance relationship moves with you, your contribution years carry over and the personal-account balance can move too.
transfer-enrol-first = First, enrol at the new place: the receiving office can only accept a transfer once you are insured there (employee insurance through an employer or as a flexible worker, or resident insurance).
transfer-steps-standard =
    The usual steps:
    1. Old place: take your ID card and social-security card to the insurance office and stop the cover there;
    2. New place: enrol first, then file a written transfer application with the local insurance office;
    3. The new place reviews it and contacts the old one; the two settle your contribution years and move the personal-account balance.
transfer-online = 📱 On your phone: use the National Medical Insurance Service Platform app or Alipay; or in WeChat go to City Services → Social Insurance → Electronic Social Security Card → online transfer application, fill it in and submit. This moves the other region's insurance to your current place, which ends it there.
transfer-offline = 🏢 At a window: with your ID card and social-security card, stop the cover at the old place's insurance office, then file the transfer at the new place's insurance office (or the citizen service centre / human-resources bureau window).
transfer-short-gap = If the gap is 3 months or less, back-pay it under the new place's rules; benefits usually resume from the month you pay, and bills from the gap months can be claimed afterwards.
transfer-tips = 💡 Tips: apply soon after leaving your job or moving so the gap stays short, and double-check your ID and card numbers when you fill in the form (enter them only on the official platform, never in this chat).
transfer-legal-basis = Legal basis: under the Social Insurance Law, a person who works in different pooling regions takes the insurance relationship along, and contribution years are added up.
transfer-note-employee-years = Employee-insurance contribution years add up across regions.
transfer-note-resident = Resident insurance is paid yearly where you live or are registered; two resident enrolments are usually not merged — after moving you simply pay yearly at the new place.
transfer-note-cross-province = Cross-province note: a transfer between provinces may have preconditions (for example, payments at the old place must have stopped). Please confirm with both the old and the new insurance office.
transfer-contact = ☎ If unsure, ask the insurance office at either place, its official account, or call 12333.

transfer-verdict-duplicate = ⚠ Nobody may be insured twice: even with two enrolments you can only use one, and the same bill cannot be claimed in both places.
transfer-keep-main = Keep your main enrolment (usually where you work or live long-term) and cancel the other; to bring over the other side's years and personal account, follow the transfer steps.
transfer-dup-refund = The extra payment on the other side can be reclaimed: the application may need an enrolment certificate from that region's insurance office. Duplicates between districts of one city that date from before city-wide pooling are usually not refunded; the personal accounts are merged instead. I can walk you through the refund next.
transfer-verdict-emp-res = ⚠ Employee and resident insurance cannot both be used — keep one. If you have an employer or pay as a flexible worker, keeping employee insurance usually gives better benefits.
transfer-emp-res-years = Employee-insurance years add up across regions; resident insurance is generally not merged.
transfer-emp-res-refund = Whether the overlapping payment is refunded, and how much, differs between places: you may apply, and the local review decides.
transfer-verdict-long-gap = A gap of more than 3 months: the transfer itself works as usual, but such a gap usually cannot be back-paid; you would re-enrol, possibly with a waiting period of 3–6 months or longer, depending on local rules. Do the transfer first, then look at back-payment / re-enrolment.

transfer-verdict-cancel = If you only want to end the cover at your old place, you can apply to stop it.
transfer-cancel-offline = 🏢 At a window: take your ID card and social-security card to the citizen service centre or the human-resources (insurance) bureau window at the old place and ask to stop the cover.
transfer-cancel-online = 📱 On your phone: in WeChat, City Services → Social Insurance → Electronic Social Security Card → online transfer application moves your insurance to the new place, which also ends it at the old one; menu names may differ locally.
transfer-cancel-warning = Note: once stopped, you cannot claim anything from the next month unless you are insured elsewhere. Enrol at the new place first, then stop the old one, so there is no gap.
