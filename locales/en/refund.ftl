## Refund flow (domain.md §3). Chinese names of menus, forms and apps stay beside the translation, so that
## they can be found in a Chinese app or at a window.

refund-ask-ins-type = Which kind of medical insurance did you pay for?
refund-ask-reason = Why do you want a refund?
refund-reason-duplicate = I paid twice (duplicate payment)
refund-reason-error = Paid by mistake / paid too much
refund-reason-joined-employee = I have since joined employee insurance
refund-reason-death = The insured person has died
refund-reason-moved = Household registration moved away / settled abroad
refund-reason-prison = Imprisonment or another special case
refund-reason-retired = Still paying after retirement (overpaid)
refund-reason-unemployed = Paid myself while receiving unemployment benefit
refund-reason-voluntary = I just don't want to pay any more

refund-ask-dup-scope = What kind of duplicate is it?
refund-dup-same = Paid twice in the same place
refund-dup-two-regions = Paid once in each of two places
refund-dup-emp-res = Paid both employee and resident insurance
refund-dup-two-employers = Two employers both paid

refund-ask-death-timing = When did the insured person die? (The benefit period, 待遇享受期, is the time after paying when the insurance pays for treatment.)
refund-death-before = Before the benefit period began
refund-death-during = During the benefit period
refund-ask-used = In this insurance year, has this insurance paid for any treatment, medicine or claim?
refund-used-yes = Yes, it has been used
refund-used-no = No, never used
refund-ask-platform = Which platform would you like to use?
refund-platform-insurance = Local medical-insurance official account (医保公众号)
refund-platform-tax = Tax bureau app or official account (税务)
refund-platform-miniapp = Alipay (支付宝) / WeChat mini-program

## verdicts
refund-verdict-dup-same = ✅ You can apply: someone enrolled and paid twice in the same pooling region (统筹地区, the area whose insurance is managed as one) can cancel the extra enrolment and get the duplicate payment back.
refund-verdict-dup-two-regions = ⚠ Paid in two places: you can keep only one insurance relationship: as a rule, keep the main one and cancel the other duplicates. The extra payment on the other side can be reclaimed; you may need an enrolment certificate (参保凭证, proof that you were insured and paid there) from that side's insurance office (医保经办机构, the office that handles insurance business).
refund-verdict-dup-emp-res = You may apply, but local review decides: for the same period you can keep only one of employee and resident insurance. Places differ on whether the overlap is refunded, and how much (some do not). Decide which one to keep first, then apply for the other.
refund-verdict-error = ✅ You can apply: duplicate or excess payments caused by a system, staff or employer error are refundable. Bring your enrolment and payment record (参保缴费明细) as evidence.
refund-verdict-error-employee = ✅ You can apply: overpayments caused by an employer or system error are refundable. For employee insurance, if the cover could not be stopped because of a mistake by the insurance office (经办机构, the office that handles insurance business) or a system fault, and no benefits were used in that time, the extra payment can be refunded too.
refund-verdict-joined-employee = You may apply, but local review decides: a resident-insurance member who later joined employee insurance is a case where a refund can be requested; however, some places do not refund payments for a period covered by both. Simply no longer wanting resident insurance is not refundable.
refund-verdict-moved = ✅ You can apply: if your household registration moved away, you can ask for the remaining premium back; if you settled abroad, you can ask to end your resident insurance.
refund-verdict-moved-employee = The refund for a household registration move is a rule of resident insurance; whether and how employee insurance is refunded, please ask at your local insurance window.
refund-verdict-prison-employee = The refund for imprisonment is a rule of urban-rural resident insurance; whether and how employee insurance is refunded, please ask at your local insurance window.
refund-verdict-joined-employee-employee = You may apply, and local review decides: if you paid yearly as an individual under a preferential scheme and then became an employee insured through an employer, the refund is the amount worked out under that scheme.
refund-verdict-prison = Imprisonment is a listed special case for refunds, but local rules vary a lot — please apply at your local insurance window, where staff will check your case.

refund-caveat-used-duplicate = ⚠ Already used this year: the duplicate or overpaid part can usually still be reclaimed, but some places refuse a refund once benefits were received in that year; the local review decides.
refund-caveat-used-unsure = ⚠ Note: if the insurance already paid benefits (treatment or claims) in this insurance year, the premium is usually not refunded; the local review decides.
refund-note-type-unsure = 💡 The refund channels below are the ones for urban-rural resident insurance (城乡居民医保); if yours is employee insurance (职工医保), apply at your local insurance window.

## notes (one tap away)
refund-note-subsidy = People whose enrolment was subsidised (资助参保) must first settle the amount they owe before applying; bring the subsidy certificate to the window.
refund-note-city-pooling = Note: duplicates within one city between different pooling regions, from before city-wide pooling (市级统筹, the whole city managed as one), are not refunded; the personal accounts are merged under the rules.
refund-note-preferential = If you paid yearly as an individual under a preferential scheme and then became an employee insured through an employer, the refund is the amount worked out under that scheme.
refund-note-death-account = Any balance left in the personal account can be claimed by the legal heirs.
refund-note-true-materials = Online uploads must be true and complete; if an application fails because of the documents, that is on the applicant, and you submit again.

## non-refundable and redirect outcomes
refund-no-voluntary = ❌ As a rule, no: premiums paid normally are not refunded because you stop paying or no longer want the insurance — also for employee insurance after years of payment. If you chose to pay at level one or two (一档、二档, different contribution standards), you cannot get money back by calling it 退保 (withdrawal) or 转档 (changing level) either.
refund-no-voluntary-next = If it is in fact a duplicate or mistaken payment, a death or a household move, say "back" and choose the reason again. After payments stop, the insurance pays nothing from the next month; to restore cover, see the options below about the effects of a gap and about back-payment or re-enrolment.
refund-no-used = ❌ Usually not: once the insurance has paid benefits (treatment, claims) in the current insurance year, that year's premium is kept. For resident insurance, once the benefit period (待遇享受期, the time after paying when the insurance pays) has begun, the personal contribution normally stays; a request during the payment period (集中缴费期, usually September to December) can usually still recover that year's payment.
refund-no-used-dispute = If you think your case is special, explain it at your local insurance window, or tap "Talk to a person".
refund-dup-two-employers-verdict = Two employers both paid employee insurance for you: the employer contributions are not returned, and your personal accounts are merged under the rules.
refund-dup-two-employers-next = When someone is insured twice, the main relationship is kept and the other duplicates are cancelled. Ask your local insurance office (医保经办机构, the office that handles insurance business) how to do it.
refund-retired-verdict = ✅ You can apply: if you kept paying after retirement although you already had enough contribution years, the extra months are refundable, minus what those months credited to your personal account. If you back-paid missing years at retirement and a recount shows you paid too much, that is refundable too.
refund-unemployed-verdict = ✅ You can apply: while you receive unemployment benefit, the unemployment-insurance office already pays your medical insurance. If you also paid employee insurance as an individual for the same months, you can reclaim it in the following year.
refund-death-verdict = The death of the insured is a case for a refund; in principle the remaining premium is returned, and the amount depends on when the person died. The family should apply at the local insurance window with the death certificate (死亡证明).
refund-death-verdict-before = If next year's urban-rural resident insurance was paid and the person died before the benefit period (待遇享受期, the time after paying when the insurance pays) began, it can be refunded in full.
refund-death-verdict-during = If the person died during the benefit period (待遇享受期, the time after paying when the insurance pays), the legal heirs can ask for the premium of the unused period; for individuals paying the yearly level one (一档, one contribution standard), the share already paid into the pooled fund (统筹基金, the money shared by all the insured) and the major-illness insurance (大额医保) is not refunded.
refund-death-verdict-unknown = The amount depends on the date: death before the benefit period (待遇享受期, the time after paying when the insurance pays) began usually means a full refund; death during it usually means a refund for the unused period. The window works it out for your case.

## how to apply
refund-steps-insurance = 📱 Through the insurance official account (e.g. 「阜阳医疗保障」): 医保服务 (Insurance services) → 医保服务站 (Service station) → 我要办 (Apply) → 城乡居民退费登记 (Resident refund registration) → upload the documents as prompted → wait for review.
refund-steps-tax = 📱 Through the tax bureau (e.g. the 「重庆税务」 official account): 网上办税 (Online tax) → 个人社保 (Personal social insurance) → 社保费办理 (Social-insurance fees) → 城乡居民医保退费 (Resident insurance refund); or in a tax app (e.g. 「重庆税务」, 「楚税通」) find 社保费退费 (social-insurance fee refund) → 城乡居民医保退费.
refund-steps-miniapp = 📱 Through an Alipay (支付宝) or WeChat mini-program: search for your city's social-insurance payment mini-program (e.g. 「重庆社保缴费」) → 社保费办理 (Social-insurance fees) → submit a refund request.
refund-steps-online-generic = Typical steps: log in with your ID or phone number → choose the refund type (重复缴费 duplicate payment, 缴费错误 payment error, …) and confirm the years and period → upload ID, payment receipt and bank-account details → submit → follow the review on the platform.
refund-steps-offline = 🏢 At the window: go to your local medical-insurance (social-insurance) centre, or the insurance or tax bureau's window → fill in the refund application form (退保申请表) → hand in the documents → wait for review → collect the refund as notified.
refund-steps-offline-form = The form's name differs between places: it may be 《城乡居民基本医疗保险退保申请表》 or 《城镇居民基本医疗保险退保申请表》 (basic medical-insurance withdrawal form). In some places, once approved, you take the 《城镇居民基本医疗保险退款单》 (refund slip) to the 财务结算窗口 (finance settlement window) to collect the money.
refund-steps-offline-employee = 🏢 How: an employee-insurance refund can be requested by the employer or by you. At the local insurance or tax bureau window, fill in the refund application form (退费申请表), hand in the documents and wait for review; the money is returned once approved.
refund-materials = 📋 Documents you may need (check locally): { $items }.
refund-proxy = If someone applies for you, they also need a letter of authorisation (委托书) and their own ID.
refund-money-path = 💰 The money usually goes back the way you paid (原路返回), or to the bank account you gave.
refund-timing = ⏱ When: once documents are complete and approved, usually from a few working days up to 20 working days, depending on local rules; progress can be tracked online.
refund-contact = ☎ If unsure, ask your local medical-insurance department or its official account, or call 12333; if you paid through the tax bureau, the local tax hotline can help too.

## materials
mat-id-card = ID card (original and copy)
mat-insurance-card = social-security/insurance card (original and copy)
mat-payment-proof = payment receipt (缴费凭证)
mat-bank-card = your bank card (some places ask for the bank branch name and card number)
mat-stop-payment-proof = certificate of terminated payment (终止缴费证明)
mat-other-region-proof = enrolment certificate (参保凭证) from the other place's insurance office
mat-enrolment-record = enrolment and payment record (参保缴费明细)
mat-household-register = household register (户口本)
mat-moved-out-proof = certificate of household registration moved out (户籍迁出证明)
mat-death-certificate = death certificate (死亡证明)
mat-subsidy-proof = subsidy certificate (资助证明) if your enrolment was subsidised
