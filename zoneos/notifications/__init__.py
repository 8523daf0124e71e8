"""Notifications: messages about events (an appeal assigned, a deadline near, ...) delivered by e-mail and
to the group robots of WeCom, DingTalk and Feishu or a generic JSON webhook, after the change that caused
them has committed. Other apps call `zoneos.notifications.services.notify`."""
