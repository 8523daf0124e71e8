"""`{% unread_count %}`: the number of unread notifications of the signed-in user, for the bell."""

from django import template

from zoneos.notifications import inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return inbox.unread_count(user)
