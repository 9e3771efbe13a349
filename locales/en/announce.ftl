## Announcements (bot/announcements/): opting in to and out of news from this bot.

announce-subscribed = You will now receive announcements from this bot, such as policy changes and payment deadlines. Send /unsubscribe to stop at any time.
announce-already-subscribed = You are already subscribed to announcements. Send /unsubscribe to stop.
announce-unsubscribed = You will no longer receive announcements. Send /subscribe to start again.
announce-not-subscribed = You are not subscribed to announcements. Send /subscribe to receive them.
announce-private-only = Please send /subscribe or /unsubscribe to me in a private chat.
announce-admin-only = Only administrators of this bot can do that.
announce-cmd-subscribe = Receive announcements (policy changes, deadlines)
announce-cmd-unsubscribe = Stop receiving announcements

## Ready-made announcements for `announce create --locale-id …` (each recipient gets their language).
announce-maintenance = This bot will be down for maintenance for a short while. Your progress is saved; please try again later. For urgent matters call { $hotline }.
