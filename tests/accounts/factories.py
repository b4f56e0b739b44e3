import datetime

import factory
from factory.django import DjangoModelFactory

from binjai_portal.accounts.models import Dependant, User
from binjai_portal.accounts.nik import nik_compose


def _nik(n: int, birth: datetime.date, sex: str) -> str:
    return nik_compose(region6="127501", birth_date=birth, sex=sex, serial=1000 + n)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Faker("name", locale="id_ID")
    birth_date = factory.Sequence(lambda n: datetime.date(1980 + n % 30, 1 + n % 12, 1 + n % 28))
    sex = factory.Iterator(["L", "P"])
    nik = factory.LazyAttributeSequence(lambda o, n: _nik(n, o.birth_date, o.sex))
    phone = factory.Sequence(lambda n: f"+6281377{n:06d}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "Rahasia-Binjai-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DependantFactory(DjangoModelFactory):
    class Meta:
        model = Dependant

    guardian = factory.SubFactory(UserFactory)
    full_name = factory.Faker("name", locale="id_ID")
    birth_date = factory.Sequence(lambda n: datetime.date(2010 + n % 10, 1 + n % 12, 1 + n % 28))
    sex = factory.Iterator(["L", "P"])
    nik = factory.LazyAttributeSequence(
        lambda o, n: nik_compose(
            region6="127501", birth_date=o.birth_date, sex=o.sex, serial=5000 + n
        )
    )
    relation = Dependant.Relation.CHILD
