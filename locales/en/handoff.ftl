## Operator handoff (bot/handoff.py).

handoff-queued = Connecting you to a person. Your ticket number is { $ticket }; { $ahead } ahead of you in the queue. An agent will answer right here — please wait; anything you send meanwhile is passed on to them.
handoff-after-hours = Our agents are not working right now (hours: { $hours }). Leave a message and it will be answered in order when they are back; if it is urgent, call { $hotline }.
handoff-how-to-cancel = If you no longer need a person, reply "cancel".
handoff-cancelled = OK, the request for a person is cancelled. You can carry on with the bot.
handoff-closed-user = The agent has finished this conversation — thank you for your patience. You are back with the bot; reply "menu" to see everything it can do.
handoff-operator-says = Agent: { $text }
opt-handoff-cancel = Cancel the request
# an operator's message kept for a channel that cannot push, shown as it was sent
handoff-relayed = { $text }
