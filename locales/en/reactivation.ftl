## Back-payment (补缴) / re-enrolment (重新参保) / card activation (医保卡激活) (domain.md §6).
## Sources are named in the zh-CN file.

react-ask-task = Which of these do you need?
react-task-backpay = Pay for a gap (back-payment, 补缴)
react-task-reenrol = Re-enrol (重新参保)
react-task-card = Activate the insurance card (医保卡激活)
react-ask-ins-type = Which insurance lapsed?
react-ask-lapse = How long has the gap been?
react-lapse-short = 3 months or less (3 included)
react-lapse-long = More than 3 months
react-lapse-unsure = I don't know how long
react-ask-over-65 = Is the insured person 65 or older? (Some places restrict back-payment for people over 65.)
react-ask-card-part = Which part do you want to activate?
react-card-part-medical = Paying medical bills (insurance account, 医保账户)
react-card-part-bank = The bank function (financial account, 金融账户)
react-card-part-ecert = The electronic insurance certificate (医保电子凭证, QR code on the phone)
react-card-part-unsure = I don't know which part
react-card-part-hint = Tip: a social-security / insurance card usually has two parts: the insurance account (医保账户) for paying medical bills, and — on bank-issued cards — a financial account (金融账户) for money, activated at a branch of the bank printed on the card. If you just want to use it at the doctor's, the insurance account is the one.
react-ask-for-whom = Who is it for?
react-for-self = Myself
react-for-family = A relative (I am doing it for them)
react-for-newborn = A newborn or a child
react-ask-card-received = Do you already have the card in hand?
react-card-received-yes = Yes, I have it
react-card-received-no = Not yet / not sure it was made
react-ask-where = Where would you like to activate it?
react-where-hospital = At a hospital or pharmacy on first use
react-where-window = At an insurance service window
react-where-app = With a phone app
react-where-phone = By phone
react-where-bank = At a branch of the bank printed on the card
react-where-elsewhere = I am in another city and need treatment there


## buttons of detail sections (flows.base.Detail)
react-detail-wait = ⏱ How long the wait is
react-detail-after = 💳 After activation
react-detail-conditions = 📋 Conditions and documents

## lapse outcomes (employee insurance, 职工医保)
react-emp-short-verdict = ✅ A gap of 3 months or less (3 included): most places let you back-pay (补缴). Once paid, your contribution years stay continuous, bills from the gap can be claimed as the rules allow, and there is no waiting period. Exactly 3 months still counts, but you are at the limit — act soon.
react-emp-short-no-reenrol = Your gap is not over 3 months, so you normally do not need to re-enrol — just back-pay.
react-emp-short-effects = This is typical after leaving a job without a new one yet, or for flexible workers (灵活就业) paying themselves. During the gap insurance reimburses nothing; the money in an employee-insurance personal account can still be used.
react-emp-short-materials = 📋 Usually bring your ID card and insurance card (医疗保险证/卡); some cities also want a back-payment application (补缴申请书) stamped by your employer.
react-emp-late-fee = 💰 Some cities (e.g. Beijing and Shanghai) charge a late fee of 0.02% per day, capped at 100 yuan.
react-emp-pay-online = 📱 On your phone: whether back-payment works online differs by place — look for a 「补缴」 (back-payment) entry in your local insurance official account (医保公众号) or insurance app; if there is none, go to a window.
react-emp-pay-offline = 🏢 At a window: bring your ID card and insurance card to the local insurance office (医保经办机构 — the social-security or insurance centre's service counter) and apply for back-payment.
react-emp-long-verdict = ⚠ A gap of more than 3 months: in most places the missed months can no longer be back-paid and you need to re-enrol (start paying again); your continuous-payment count may restart, and there may be a waiting period of 3 to 6 months or longer (bills in that time are not reimbursed). Local rules decide.
react-emp-reenrol-online = 📱 On your phone: look for the enrolment or payment entry in your local insurance official account (医保公众号) or insurance app (names differ locally); without an employer you can enrol as a flexible worker (灵活就业) or switch to urban-rural resident insurance (城乡居民医保).
react-emp-reenrol-offline = 🏢 At a window: bring your ID card and insurance card to the local insurance office (医保经办机构 — the social-security or insurance centre's service counter) and register again; without an employer you can enrol as a flexible worker (灵活就业) or switch to urban-rural resident insurance (城乡居民医保).
react-emp-long-wait = ⏱ Waiting periods differ: 3 months, 6 months, or even a full year of continuous payment; for employee insurance, reimbursement usually starts after 3 months of continuous payment. Local rules decide.
react-emp-long-bridge = Cover in the meantime: join urban-rural resident insurance as a bridge, or use commercial insurance for what medical insurance will not pay.
react-emp-unknown-check = First find out how long the gap is: check the month of your last payment in the insurance app, your local official account (医保公众号) or your payment record.
react-emp-unknown-both = ✅ 3 months or less (3 included): most places let you back-pay, with no lasting effect. ⚠ More than 3 months: you usually re-enrol, and a waiting period of 3 to 6 months or longer may apply (bills in that time are not reimbursed).
react-emp-unknown-where = 🏢 Then bring your ID card and insurance card to the local insurance office (医保经办机构 — the social-security or insurance centre's service counter).
react-gap-effect-emp = During a gap: from the month after payment stops, the pooled fund (统筹基金, the money everyone pays in for reimbursements) pays nothing and bills are fully your own; the employee-insurance personal-account balance can still be used.
react-type-unknown = Not sure which insurance: paid monthly (by an employer or as a flexible worker) → the employee-insurance rules below; resident insurance, paid once a year yourself → pay in the next payment period and cover resumes.

## lapse outcomes (resident insurance, 居民医保 / 新农合)
react-res-verdict = Resident insurance (居民医保, including the rural cooperative scheme 新农合) is usually paid once a year: if you missed a year, pay in the next payment period (usually September to December) and cover resumes.
react-res-example = For example, missed 2024, paid in 2025 → insured in 2025. Some places only ask you to keep paying from the month after the gap to regain benefits, with no arrears to make up.
react-res-wait = ⚠ Bills during the gap are not reimbursed; after a gap of more than 3 months, some places make you wait 3 to 6 months or longer before reimbursing (the "waiting period", 等待期). Local rules decide.
react-res-over-65 = ⚠ Some places do not allow back-payment for people over 65 — please ask the local insurance office first.
react-res-merged = In many places the rural cooperative scheme (新农合) has been merged into urban-rural resident insurance (城乡居民医保); just follow that procedure.
react-res-pay-online = 📱 Pay on your phone: in your local insurance official account (医保公众号) or Alipay (支付宝), find 「社保缴费」 or 「城乡居民医保缴费」 (resident insurance payment) → link your identity → pay; e.g. search 「农村医疗保险缴费」 in Alipay and choose your insured place.
react-res-pay-online-more = The local labour-security website or social-insurance app also works, under menus such as 「参合管理」 or 「社保缴费」.
react-res-pay-offline = 🏢 Pay in person: take your ID card to the local insurance service window (医保经办窗口).
react-res-conditions = Conditions for re-enrolling (they differ locally): age (many places say 18+; urban residents under 18 can join as preschool children or pupils), local household registration (户籍) or other local criteria; the length of the break can matter. The rural cooperative scheme used to require an agricultural household registration.
react-res-materials = 📋 Usually your ID card, household register (户口本) and social-security card; after a break, perhaps a certificate of the interrupted payment (断缴证明).
react-new-enrollee-wait = ⏱ New enrollees wait: for the first 6 months after paying, inpatient costs are usually not reimbursed (only outpatient and medicine support); from 6 months to 1 year, 50% is reimbursed. Local rules decide.
react-gap-effect-res = During a gap: from the month after payment stops, the pooled fund (统筹基金, the money everyone pays in for reimbursements) pays nothing and bills are fully your own.
react-contact = ☎ If unsure, ask your local insurance window or its official account (医保公众号), or call 12333.

## card outcomes
react-card-check-made = First step: make sure the card has actually been made (制卡成功) — check on your local insurance bureau's website or app; if not, apply for the card first.
react-card-deadline = ⏱ Some places set a deadline for activation after you collect the card, otherwise its use may be affected — activate it soon.
react-card-bank = 🏦 Go to a branch of the bank printed on the card (for example Bank of China, 中国银行), ask at the counter to activate the financial account (金融账户) and set a PIN as the bank asks.
react-card-bank-medical = The medical-bill function (医保账户) is activated automatically the first time you use the card at a designated hospital or pharmacy; an insurance window, a phone app or the phone hotline can also do it.
react-card-ecert = 📱 Electronic insurance certificate (医保电子凭证): activate it in an official medical-insurance app by following the prompts; the exact entry differs locally. Afterwards you can pay by scanning a code on your phone instead of carrying the card.
react-card-hospital = 🏥 At a hospital or pharmacy: the first time you use the card at a designated hospital or pharmacy it is activated automatically — staff usually prompt you at your first registration.
react-card-window = 🏢 At an insurance window: bring your ID card and insurance card to the local insurance service window; staff activate it for you.
react-card-materials = 📋 Documents: your ID card (original and copy) and the original insurance card (医保卡原件).
react-card-app = 📱 Phone app: install and register your local insurance app (for example 「医保服务平台」, the medical insurance service platform) → 「医疗保险卡激活」 (card activation) → face recognition and identity check. Camera and microphone must work; some places require real-name verification first.
react-card-phone = ☎ By phone (some places): call your local insurance hotline and key in your ID number and card number when the voice menu asks. Enter these numbers only on the official hotline — never in this chat.
react-card-elsewhere = 🧳 Treatment in another city: ideally activate the card at your insured place (参保地, where you pay insurance) before you leave; if you are already away, contact the insurance office there by phone or online; some hospitals where you are treated can enable out-of-area use directly.
react-card-elsewhere-tip = Going to another city for treatment? Activate the card at your insured place before you leave.
react-card-proxy = 👥 Doing it for a relative (allowed in some places): bring your own ID card and a signed authorisation letter (授权委托书), plus the insured person's ID card and insurance card.
react-card-newborn = 👶 Newborns and children: a guardian brings the child's birth certificate (出生证明), the household register (户口本) and the guardian's own ID card to the social-insurance service hall (社保服务大厅) or a bank branch; some places accept uploads through 「医保服务平台」.
react-card-status = Your card may not be ready yet. Check the card status on your local insurance bureau's website or app; if no card has been made, apply for one first and activate it once you have it.
react-card-after = After activation: pay medical bills directly with the card; activate the electronic insurance certificate (医保电子凭证) too to pay by phone without the card. Check your balance and transactions now and then in the 「医保服务平台」 app or on the insurance bureau's website.
react-card-part-explain = The card has two parts: the insurance account (医保账户) for paying medical bills, and — on bank-issued cards — a financial account (金融账户) for money. Below is how to activate the medical-bill part; the bank part is activated at a branch of the bank printed on the card.
react-card-contact = ☎ Questions? Ask your local insurance office, the issuing bank's hotline, or call 12333.
