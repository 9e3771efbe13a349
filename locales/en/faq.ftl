## Common questions (domain.md §9). faq-<id>-q is the question as listed, faq-<id>-a… the answer.

faq-list-prompt = Questions people often ask — tap one or reply with its number:
faq-intro = About "{ $question }":

faq-card-family-q = Can my family use my insurance card?
faq-card-family-a = No. The card is in your name and only you may use it — family included. The legal way to help family is family sharing: authorise your spouse, parents or children insured in the same pooling region to pay their own out-of-pocket costs from your employee-insurance personal account.

faq-others-card-q = Can I use someone else's insurance when I see a doctor?
faq-others-card-a = No. Using another person's card for treatment or medicine is medical-insurance fraud with legal consequences: the money must be repaid, with a fine of 2 to 5 times the amount, and in serious cases the card is suspended. Family members who want to help each other can use family sharing instead.

faq-lend-penalty-q = What is the penalty for lending my insurance card?
faq-lend-penalty-a = Letting someone else use your card (including paying for them) means repaying the money obtained plus a fine of 2 to 5 times that amount; in serious cases card settlement is suspended for 3 to 12 months. The card is for you alone; to help family pay medical bills, use family sharing.

faq-cash-out-q = Can I withdraw the money in my personal account as cash?
faq-cash-out-a = Generally no. The personal account only pays for medical costs at designated hospitals and pharmacies; it cannot be cashed out. One example city (Luoyang) has rules for spending the balance down — check locally. To let family use it, set up family sharing.

faq-dental-q = Are tooth extractions and fillings covered?
faq-dental-a = Partly. Usually covered: fillings for decay or injury, medically needed extractions (e.g. diseased or impacted teeth), root-canal treatment and gum-disease treatment; some places also cover X-rays, lab tests and minor outpatient surgery.
faq-dental-a2 = Usually not covered: implants, crowns (porcelain teeth), braces, whitening and cleaning. Imported materials are excluded.
faq-dental-a3 = Note: it must be the dental department of a designated hospital, and the deductible and annual cap apply; rates vary (in some places about 70–75% for employees, more for retirees). A child's milk-tooth extraction is covered under resident insurance only at primary or community hospitals.

faq-lapse-effects-q = What happens if my insurance payments lapse?
faq-lapse-effects-a = Main effects: from the month after payment stops, the pooled fund pays nothing and bills are fully your own (the personal-account balance still works); after a gap of more than 3 months a waiting period of 3–6 months may apply; fewer contribution years in total, so you may need to back-pay to get retiree insurance; in some places the annual reimbursement cap depends on continuous cover and drops; a gap around childbirth can cost maternity benefits; in some cities eligibility tied to continuous social insurance (buying a home or car) and critical-illness insurance can be affected.
faq-lapse-effects-a2 = A gap of 3 months or less (3 included) can be back-paid in most places, after which there is little effect — pay it soon.

faq-scheme-diff-q = How do resident insurance and employee insurance (rural vs urban schemes) differ?
faq-scheme-diff-a = Who and how much: employee insurance covers employees, civil servants and public-institution staff, paid by employer and employee, with the highest contribution; urban resident insurance covers non-employed urban people (students, children, the elderly), with a middle contribution; the rural cooperative scheme covers rural residents, funded by government subsidy plus a personal payment, the lowest contribution. Many places have merged the urban and rural resident schemes.
faq-scheme-diff-a2 = Benefits: the rural cooperative scheme reimburses about 50–70%; employee insurance about 70–90% for inpatient and 50–70% for outpatient care; urban resident insurance lies in between. The rural scheme mainly uses village and county hospitals, with stricter referral and out-of-area rules. Local rates decide.

faq-public-medical-q = Is resident medical insurance the same as free public medical care?
faq-public-medical-a = No, they are different systems. Urban-rural resident insurance is for people without employee insurance (rural residents, non-employed urban residents, students, minors, newborns, residence-permit holders) and is funded by personal payments plus a government subsidy; bills are reimbursed at set rates.

faq-resign-q = I quit my job — can I still use my insurance?
faq-resign-a = The personal-account balance stays usable, but once the employer stops paying, reimbursement stops and contribution years no longer accrue. Keep your cover going: continue employee insurance as a flexible worker, or switch to resident insurance. A gap of up to 3 months can usually be back-paid.

faq-drug-full-q = Does insurance pay the full price of medicine?
faq-drug-full-a = No, it reimburses a share. How much depends on the region, the drug category and the scheme; employee insurance usually pays more than resident insurance.

faq-new-6m-q = Can I claim if I have paid for less than 6 months?
faq-new-6m-a = New enrollees usually have a waiting period: for the first 6 months inpatient costs are not reimbursed (only outpatient and medicine support); between 6 months and 1 year, 50% is reimbursed. Local rules decide.

faq-emp-2m-q = Can I claim after paying employee insurance for 2 months?
faq-emp-2m-a = Usually yes — benefits normally start from the second month. But if you re-enrolled after a gap of more than 3 months, reimbursement usually starts only after 3 months of continuous payment. Local rules decide.

faq-two-regions-q = Can I pay medical insurance in two places?
faq-two-regions-a = No. One person keeps one insurance relationship, and even with two enrolments only one can be used. When you change job or city the relationship moves with you and contribution years add up. If you already pay in two places, a transfer lets you keep one and sort out the other.

faq-checkup-q = Can I use my insurance card for a health check-up?
faq-checkup-a = Check-ups are self-paid: the pooled fund does not pay for them; in some places you can pay with the personal-account money on the card — the local rules and the clinic decide.

faq-chronic-q = Where do I apply for chronic-disease coverage?
faq-chronic-a = Usually at the local social-insurance or medical-insurance bureau. Bring your ID card, social-security card (original and copy) and the relevant hospital records and test results (e.g. imaging); check the exact list locally.

faq-coop-proxy-q = Do I have to go in person to claim under the rural cooperative scheme?
faq-coop-proxy-a = Not necessarily. You can go yourself or entrust someone, who brings the insured person's documents; check locally what is needed.
