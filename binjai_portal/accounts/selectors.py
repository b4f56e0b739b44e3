from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Dependant, User


def dependant_list_for_user(*, user: User) -> QuerySet[Dependant]:
    return Dependant.objects.filter(guardian=user).order_by("full_name")


def dependant_get_for_user(*, user: User, pk: int) -> Dependant:
    """The user's own dependant, or 404: another family's member is invisible."""
    return get_object_or_404(Dependant, pk=pk, guardian=user)


def persons_user_can_act_for(*, user: User) -> list:
    """The user and their dependants: who e-Dokter can book for."""
    return [user, *dependant_list_for_user(user=user)]
