## Refund flow (domain.md §3).

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

refund-ask-death-timing = When did the insured person die?
refund-death-before = Before that year's cover started
refund-death-during = During the cover period
refund-ask-used = In this insurance year, has this insurance paid for any treatment, medicine or claim?
refund-used-yes = Yes, it has been used
refund-used-no = No, never used
refund-ask-platform = Which platform would you like to use?
refund-platform-insurance = Local medical-insurance official account
refund-platform-tax = Tax bureau app or official account
refund-platform-miniapp = Alipay / WeChat mini-program

## verdicts
refund-verdict-dup-same = ✅ You can apply: someone enrolled and paid twice in the same pooling region can cancel the extra enrolment and get the duplicate payment back.
refund-verdict-dup-emp-res = You may apply, but the result depends on local review: you can only keep one of employee and resident insurance for the same period. Places differ on whether the overlap is refunded (some do not), so keep one and then apply for the overlapping part of the other.
refund-verdict-error = ✅ You can apply: duplicate or excess payments caused by a system, staff or employer error are refundable. Bring your enrolment and payment record as evidence.
refund-verdict-error-employee = ✅ You can apply: overpayments caused by a system, staff or employer error are refundable. For employee insurance, if a stop of cover failed because of an office error or system fault and no benefits were used in that time, the extra months can be refunded. Bring your payment record.
refund-verdict-joined-employee = ✅ You can apply: a resident-insurance member who joins an employer's employee insurance is a refundable case; someone who paid under a preferential scheme and then joined through an employer is refunded the amount worked out under that scheme. Simply leaving resident insurance because you no longer want it is not refundable.
refund-verdict-moved = ✅ You can apply: if your household registration moved away, the remaining premium can be refunded; if you settled abroad, the resident-insurance relationship can be ended and the personal-account balance returned.
refund-verdict-prison = Imprisonment is a listed special case for refunds, but local rules vary a lot — please apply at your local service window, where staff will check your case.

refund-caveat-used-unsure = Note: if this insurance already paid for treatment in this insurance year, the premium is usually not refunded. Please check your usage record in the insurance app or official account first.
refund-note-subsidy = If your enrolment was subsidised by the government (e.g. low-income support), you first need to settle the subsidised amount; bring the subsidy certificate to the window.

## non-refundable and redirect outcomes
refund-no-voluntary = ❌ As a rule, premiums paid normally are not refunded just because you stop paying or no longer want the insurance — this is also true for employee insurance after years of payment. A contribution level you chose yourself cannot be turned into cash by "cancelling" or "changing level" either.
refund-no-voluntary-next = If yours is a duplicate or mistaken payment, a death, or a household move, say "restart" and choose again. Stopping payment affects reimbursement; to restore cover, see back-payment or re-enrolment.
refund-no-used = ❌ Usually not refundable: once the insurance has paid benefits in the current insurance year, that year's premium is kept. For resident insurance, once the cover period has begun the personal contribution normally stays; a request made during the annual payment window (usually September to December) can usually still recover that year's payment.
refund-no-used-dispute = If you think your case is special, talk to a person or explain it at your local service window.
refund-dup-two-regions = Insured in two places: you can only keep one insurance relationship. Decide which to keep (usually where you work or live long-term), then stop or transfer the other one.
refund-dup-two-regions-next = To reclaim the extra payment you may need an enrolment certificate from the other region's insurance office. Duplicates between districts of one city that predate city-wide pooling are usually merged into one personal account rather than refunded. I can walk you through the transfer next.
refund-dup-two-employers-verdict = Two employers both paid employee insurance for you: the employer contributions are usually not returned, and your personal accounts are merged. Ask one employer to stop paying and have the accounts merged at your local insurance office.
refund-retired-verdict = ✅ You can apply: if you kept paying after retirement although you already had enough contribution years, the extra months are refundable, minus what those months credited to your personal account. If you back-paid missing years at retirement and a recount shows you paid too much, that is refundable too.
refund-unemployed-verdict = ✅ You can apply: while you receive unemployment benefit, the unemployment-insurance office already pays your medical insurance. If you also paid employee insurance yourself for the same months, you can reclaim it in the following year.
refund-death-verdict = The death of the insured is a refundable case; in principle the remaining premium is returned, and the amount depends on when the person died. The family should apply at the window with the death certificate.
refund-death-verdict-before = If next year's resident insurance was paid but the person died before that cover started, it is usually refunded in full; a person who never received benefits leaves the personal-account balance to the legal heirs.
refund-death-verdict-during = If the person died during the cover period, the premium for the unused period is usually refunded and heirs can claim the personal-account balance; for individuals paying the yearly first tier, the share already paid into the pooled fund and the major-illness insurance is not refunded.
refund-death-verdict-unknown = The amount depends on the date: death before the cover started usually means a full refund; death during cover usually means a refund for the unused period, with the personal-account balance going to the heirs. The window works it out for your case.

## how to apply
refund-steps-insurance = 📱 Through the insurance official account (Fuyang's is an example): Insurance services → Service station → Apply → Resident refund registration → upload the documents as prompted → wait for review.
refund-steps-tax = 📱 Through the tax bureau (Chongqing Tax's official account is an example): Online tax → Personal social insurance → Social-insurance fees → Resident medical-insurance refund; or in a tax app (e.g. Chongqing Tax, Chushuitong) find "social-insurance fee refund" → resident medical-insurance refund.
refund-steps-miniapp = 📱 Through an Alipay or WeChat mini-program: search for your city's social-insurance payment mini-program ("Chongqing social insurance payment" is an example) → Social-insurance fees → submit a refund request.
refund-steps-online-generic = Typical steps: log in with your ID or phone number → choose the refund type (duplicate payment, payment error, …) and confirm the years and period → upload ID, payment receipt and bank-account details → submit → follow the progress in the app. Uploads must be true and complete; a rejection for bad documents means submitting again.
refund-steps-offline = 🏢 At the window: go to your local medical-insurance (social-insurance) centre, or the insurance or tax bureau's window → fill in the refund application form (its name varies, e.g. "urban-rural resident" or "urban resident" basic medical-insurance withdrawal form) → hand in the documents → wait for review → collect the refund as notified.
refund-steps-offline-employee = 🏢 How to apply: employee-insurance refunds usually go through your employer or the local insurance office's window — fill in a refund form and hand in the documents; the money is returned after review.
refund-materials = 📋 Documents you may need (check locally): { $items }.
refund-proxy = If someone applies for you, they also need a letter of authorisation and their own ID.
refund-money-path = 💰 Refunds usually go back the way you paid, or to the bank account you registered.
refund-timing = ⏱ Time: once documents are complete and approved, usually from a few working days up to 20 working days, depending on local rules; progress can be tracked online.
refund-contact = ☎ If unsure, ask your local medical-insurance office or its official account, or call 12333; if you paid through the tax bureau, the local tax hotline can help too.

## materials
mat-id-card = ID card (original and copy)
mat-insurance-card = social-security/insurance card (original and copy)
mat-payment-proof = payment receipt
mat-bank-card = your bank card (some places ask for the bank branch and card number)
mat-stop-payment-proof = certificate of terminated payment
mat-enrolment-record = enrolment and payment record
mat-employee-enrolment-proof = proof of employee-insurance enrolment
mat-household-register = household register (hukou booklet)
mat-moved-out-proof = certificate of household registration moved out
mat-death-certificate = death certificate
mat-heir-id = ID of the family member (heir)
mat-subsidy-proof = subsidy certificate if your enrolment was subsidised
