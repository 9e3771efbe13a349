## Common questions (domain.md §9). faq-<id>-q is the question as listed, faq-<id>-a… the answer, ending with
## faq-where-to-ask. Sources are named in the zh-CN file.

faq-list-prompt = Questions people often ask — tap one or reply with its number:
faq-intro = About "{ $question }":
faq-where-to-ask = ☎ To check the rules where you live, call 12333 or ask your local insurance window or its official account (医保公众号).

faq-card-family-q = Can my family use my insurance card?
faq-card-family-a = No. The card is in your name and only you may use it — family included. The legal way to help family is family sharing (家庭共济): authorise your spouse, parents or children insured in the same pooling region (统筹区, the area whose insurance is run as one — in many places one city) to pay their own out-of-pocket costs from your employee-insurance personal account (个人账户).

faq-others-card-q = Can I use someone else's insurance when I see a doctor?
faq-others-card-a = No. Using another person's card for treatment or medicine is medical-insurance fraud with legal consequences: the money must be repaid with a fine of 2 to 5 times the amount, and in serious cases the card is suspended. Family members who want to help each other can use family sharing (家庭共济) instead.

faq-lend-penalty-q = What is the penalty for lending my insurance card?
faq-lend-penalty-a = Letting someone else use your card (including paying for them) means repaying the money obtained plus a fine of 2 to 5 times that amount; in serious cases the card is suspended for 3 to 12 months. The card is for you alone; to help family pay medical bills, use family sharing (家庭共济).

faq-cash-out-q = Can I withdraw the money in my personal account as cash?
faq-cash-out-a = Not directly. The personal account (个人账户) only pays for outpatient and pharmacy costs. What happens to a remaining balance differs by place — for example, Luoyang (洛阳, Henan) lets the balance be used until it runs out. To let family use it, set up family sharing (家庭共济).

faq-dental-q = Are tooth extractions and fillings covered?
faq-dental-a = Partly. Usually covered: fillings for decay or injury, medically needed extractions (e.g. diseased or impacted teeth), root-canal treatment and gum-disease treatment; some places also cover dental X-rays, lab tests and minor outpatient surgery.
faq-dental-a2 = Usually not covered: implants, porcelain crowns, braces, whitening and cleaning; imported materials are not covered either.
faq-dental-a3 = Note: it must be the dental department of a designated (定点) hospital, and the deductible and annual cap apply; rates vary (in some places about 70–75% for employees, more for retirees). A child's milk-tooth extraction is covered only under resident insurance and only at primary or community hospitals.

faq-lapse-effects-q = What happens if my insurance payments lapse?
faq-lapse-effects-a = Main effects: from the month after payment stops, insurance reimburses nothing and bills are fully your own (the personal-account balance still works); after a gap of more than 3 months you may wait 3–6 months before claims are paid again (the waiting period); fewer contribution years in total, so you may need to back-pay at retirement; in some places the yearly reimbursement cap depends on continuous cover and drops; a gap around childbirth can cost maternity benefits; in some cities eligibility tied to continuous social insurance (buying a home or car) and critical-illness insurance can be affected.
faq-lapse-effects-a2 = A gap of 3 months or less (3 included) can be back-paid in most places, after which there is little effect — pay it soon.

faq-scheme-diff-q = How do resident insurance and employee insurance (rural vs urban schemes) differ?
faq-scheme-diff-a = Who and how much: employee insurance (职工医保) covers employees, civil servants and public-institution staff, paid by employer and employee, with the highest contribution; urban resident insurance (城镇居民医保) covers non-employed urban people (students, children, the elderly), with a middle contribution; the rural cooperative scheme (新农合) covers rural residents, funded by government subsidy plus a personal payment, the lowest contribution. Many places have merged the two resident schemes into urban-rural resident insurance (城乡居民医保).
faq-scheme-diff-a2 = Benefits: the rural cooperative scheme reimburses about 50–70%; employee insurance about 70–90% for inpatient and 50–70% for outpatient care; urban resident insurance lies in between. The rural scheme mainly uses village and county hospitals, with stricter referral and out-of-area rules. Local rates decide.

faq-public-medical-q = Is resident medical insurance the same as free public medical care?
faq-public-medical-a = No, they are different systems. Urban-rural resident insurance (城乡居民医保) is for people without employee insurance (rural residents, non-employed urban residents, students, minors, newborns, residence-permit holders) and is funded by personal payments plus a government subsidy.

faq-resign-q = I quit my job — can I still use my insurance?
faq-resign-a = The personal-account balance stays usable, but once the employer stops paying, inpatient and serious-illness costs are no longer reimbursed and contribution years stop accruing. Keep your cover going: continue employee insurance as a flexible worker (灵活就业), or switch to urban-rural resident insurance. A gap of up to 3 months can usually be back-paid.

faq-drug-full-q = Does insurance pay the full price of medicine?
faq-drug-full-a = No, it reimburses a share. How much depends on the region, the drug's category and the scheme; employee insurance usually pays more than resident insurance.

faq-new-6m-q = Can I claim if I have paid for less than 6 months?
faq-new-6m-a = New enrollees usually have a waiting period (a time after paying before claims are paid): for the first 6 months inpatient costs are not reimbursed (only outpatient and medicine support); between 6 months and 1 year, 50% is reimbursed. Local rules decide.

faq-emp-2m-q = Can I claim after paying employee insurance for 2 months?
faq-emp-2m-a = Usually yes — claims are normally paid from the second month of payment. But if you re-enrolled after a gap of more than 3 months, reimbursement usually starts only after 3 months of continuous payment. Local rules decide.

faq-two-regions-q = Can I pay medical insurance in two places?
faq-two-regions-a = No. One person keeps one insurance relationship, and even with two enrolments only one can be used. When you change job or city the relationship moves with you and contribution years add up. If you already pay in two places, a transfer (转移接续) lets you keep the main one and cancel the other.

faq-checkup-q = Can I use my insurance card for a health check-up?
faq-checkup-a = Check-ups are self-paid: the pooled fund (统筹基金, the money everyone pays in for reimbursements) does not pay for them; only the personal-account money on the card can be used — the local rules and the clinic decide whether it works.

faq-chronic-q = Where do I apply for chronic-disease coverage?
faq-chronic-a = Usually at the local social-insurance or medical-insurance bureau (社保局 / 医保局). Bring your ID card, social-security card (original and copy) and copies of the relevant hospital records and imaging; check the exact list locally.

faq-coop-proxy-q = Do I have to go in person to claim under the rural cooperative scheme?
faq-coop-proxy-a = Not necessarily. You can go yourself or entrust someone, who brings the insured person's valid ID, proof of insurance, medical records and receipts; check locally what is needed.
