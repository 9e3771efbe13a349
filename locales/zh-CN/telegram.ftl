## Telegram channel (adapters/telegram.py): sentences only this channel needs.

telegram-step-passed = 这一步已经过去了,请回答最新的问题。
telegram-group-private = 办理医保事项会涉及个人情况,为保护隐私,请和我私聊。点下面的按钮即可开始。
telegram-open-private = 私聊办理
telegram-text-only = 我目前只能看懂文字。请直接打字,或点选消息下方的按钮。为了安全,请不要发送身份证、医保卡、银行卡的照片。
telegram-choose = 请选择:
telegram-lang-prompt = 请选择语言 / Please choose a language:
telegram-lang-zh = 简体中文
telegram-lang-en = English

telegram-cmd-start = 开始,显示能办的事项
telegram-cmd-menu = 主菜单
telegram-cmd-help = 使用说明
telegram-cmd-cancel = 结束本次办理
telegram-cmd-lang = 切换语言(中文/English)
