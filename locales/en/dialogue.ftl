## Sentences the dialogue manager adds: out-of-scope replies, the FAQ list, shared follow-up buttons.

oos-reply = Sorry, that is outside what this assistant handles. I can show you step by step how to do these errands yourself: premium refunds (医保退费), transfers between regions (转移接续), family account sharing (家庭共济), back-payment / re-enrolment (补缴/重新参保) and card activation (医保卡激活); I also answer some common insurance questions.
oos-ask-local = For other insurance or social-security questions (reimbursement rates, special outpatient schemes, treatment in another region, pensions, contribution bases …), please ask your local medical-insurance office or call { $hotline }.
oos-health = For health questions I cannot give medical advice — please see a doctor at a proper hospital.
oos-other = If you need help, reply "agent" or call { $hotline }.
oos-in-flow = Let's continue with the question from before:

opt-faq = Common questions
opt-faq-more = More common questions
opt-go-refund = Apply for a refund
opt-go-family = How family sharing works
opt-go-family-bind = How to bind a relative
opt-card-got-it = I have the card — continue
opt-faq-lapse-effects = What a gap in payments means
opt-faq-new-6m = When new enrollees can claim
opt-back-to-flow = Continue where I was
dialogue-same-errand = We are already working on "{ $title }" — please answer the question below:
dialogue-confirm-restart = That differs from what you answered before. Start "{ $title }" again with the new details?
oos-social = Pensions, work injury, unemployment and maternity benefits are handled by the social-security (human resources and social security) department: please ask your local office or call 12333.
oos-housing-fund = For the housing provident fund (withdrawals, loans and so on), please ask your local housing provident fund centre or call 12329.
dialogue-pick-option = This question needs one of the options below: tap one or reply with its number.
dialogue-options-explain = I still couldn't work out what you meant. Please tap the closest option below (or reply with its number); if none fits, choose "Talk to a person".
dialogue-unsure-no-option = No problem. Please pick the closest option; if you really can't tell, choose "Talk to a person" or call { $hotline }.
dialogue-corrected = All right, I've used your corrected answer.
dialogue-errand-dropped = All right, we'll leave "{ $title }" for now. Anything else?
