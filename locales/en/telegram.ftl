## Telegram channel (adapters/telegram.py): sentences only this channel needs.

telegram-step-passed = That step has passed — please answer the latest question.
telegram-group-private = Insurance errands involve personal details, so let's talk in private. Tap the button below to start.
telegram-open-private = Chat in private
telegram-text-only = I can only read text for now. Please type, or tap a button under my messages. For your safety, please do not send photos of ID, insurance or bank cards.
telegram-choose = Please choose:
telegram-lang-prompt = 请选择语言 / Please choose a language:
telegram-lang-zh = 简体中文
telegram-lang-en = English

telegram-cmd-start = Start and show what I can help with
telegram-cmd-menu = Main menu
telegram-cmd-help = How to use this bot
telegram-cmd-cancel = Finish this errand
telegram-cmd-lang = Switch language (中文/English)
