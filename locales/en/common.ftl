## Shared sentences: menu, global commands, errors, disclaimers.

list-separator = {", "}

flow-refund = Premium refund
flow-transfer = Transfer between regions
flow-family = Family account sharing
flow-reactivation = Back-payment / re-enrolment / card activation

menu-prompt = What would you like to do? Tap an option or reply with its number.
menu-refund = Refund of premiums
menu-transfer = Transfer (incl. insured in two places)
menu-family = Family sharing (let family use my account)
menu-reactivation = Back-pay after a gap / re-enrol
menu-card = Activate the insurance card
menu-faq = Common questions

opt-handoff = Talk to a person
opt-menu = Main menu
opt-exit = Finish
opt-yes = Yes
opt-no = No
opt-unknown = Not sure
opt-not-sure = Not certain
opt-online = On my phone
opt-offline = At a service window
opt-go-transfer = Start a transfer
opt-go-reactivation = Back-payment / re-enrolment
opt-ins-resident = Urban-rural resident insurance (城乡居民医保, incl. the rural cooperative scheme 新农合)
opt-ins-employee = Employee insurance (职工医保)

hint-ins-type = Tip: if your employer deducts it, or you pay monthly as a flexible worker, it is employee insurance. If you pay once a year yourself (including the rural cooperative scheme, students, the elderly and children), it is resident insurance. Which one fits?
ask-channel = How would you like to apply?

common-welcome = Hello! I am the medical-insurance helper. I can walk you step by step through refunds, transfers between regions, family account sharing, back-payment and re-enrolment, and card activation.
common-flow-start = Let's go through "{ $title }". I will ask a few short questions — tap an option or reply with its number; say "back" to return to the previous step.
common-help =
    How to use me:
    · tap an option below, or reply with the number in front of it;
    · or just say it in your own words, e.g. "I paid my insurance twice, how do I get a refund";
    · any time: "back" for the previous step, "restart" to start over, "menu" for everything I can do, "agent" for a person, "exit" to finish.
common-stale-button = That button belongs to an earlier step and has expired. Please answer the latest question below.
common-privacy-warning = For your safety, please do not send ID, bank-card, insurance-card or phone numbers in this chat. The guidance does not need them, and that message was not stored.
common-not-understood-answer = Sorry, I did not catch that. Please tap one of the options below or reply with its number.
common-not-understood-idle = Sorry, I cannot answer that one. I can show you step by step how to do these errands: refunds (医保退费), transfers (转移接续), family sharing (家庭共济), back-payment/re-enrolment (补缴/重新参保) and card activation (医保卡激活). For anything else, please ask your local medical-insurance office or call { $hotline }.
common-offer-handoff = If it is still unclear, reply "agent" or call 12333.
common-confirm-switch = Would you like to switch to "{ $title }"?
common-restarted = Done — everything cleared, let's start over.
common-went-back = OK, back to the previous step.
common-nothing-to-undo = We are at the very beginning; there is no previous step.
common-goodbye = Thank you! Come back any time you have an insurance question, or call { $hotline }.
common-handoff-unavailable = Live agents are not available yet. Please call { $hotline } or ask at your local medical-insurance service window or its official account. You can also carry on here.
common-language-set = OK, switched to English.
common-anything-else = Is there anything else I can help with?
common-local-rules = ⚠ Rules and service channels may differ between places; your local medical-insurance office has the final word.
common-footer = Note: this assistant only explains insurance procedures and gives no medical advice. If you feel unwell, please see a doctor.
common-busy = Your previous message is still being processed — please wait a few seconds and send it again.
common-error = Sorry, something went wrong on our side. Your progress is safe; please send that again in a moment.
common-store-down = The system is busy. Please send your message again in a moment.
common-session-expired = This conversation has expired, so we are starting over. Your last answers were not kept; please choose your errand again.
common-session-damaged = Sorry, your earlier conversation could not be read and has been cleared. Let's start over.
common-handoff-lost = Sorry, the record of your chat with our staff was damaged and that chat has ended. Reply "agent" if you still need a person.

## Buttons that open one section of the guidance (flows.base.Detail).
detail-steps = 📝 Steps
detail-materials = 📋 Documents to bring
detail-form = 📝 Name of the form
detail-timing = ⏱ When the money comes
detail-notes = ⚠ Things to note
detail-contact = ☎ Where to ask
