"""Periodic jobs of policy delivery, run by `manage.py scheduler`."""

from zoneos.scheduler.registry import periodic

from .applications_automatic import offer_all
from .money import sweep


@periodic(at="02:10", name="policies.automatic_offers")
def offer_automatic_items():
    """The automatic track (免申即享): offer every automatic item to the enterprises newly eligible."""
    return offer_all()


@periodic(at="02:40", name="policies.payment_sweep")
def sweep_policy_payments():
    """Flag approved applications whose payment is past due, and tell their departments."""
    return sweep()
