"""A small named world for tests: two zones, three parks, departments, enterprises, one user per role.

    Region R
    ├── Zone Z1 ── parks P1, P2; department D1 (handler), D3 (empty); enterprise E1 in P1
    └── Zone Z2 ── park P3; department D2; enterprise E2 in P3

Area roles hold their membership on Z1, park staff on P1, the handler in D1, the enterprise user on
E1. "stranger" has no membership, "root" is a superuser. Everything in Z2 is out of everyone's scope
(but root's).
"""

from dataclasses import dataclass, field

from zoneos.areas.models import AreaKind
from zoneos.core.roles import Role

from .factories import AreaFactory, DepartmentFactory, EnterpriseFactory, MembershipFactory, UserFactory

ROLE_USERS = [r.value for r in Role]
ALL_USERS = [*ROLE_USERS, "stranger", "root"]


@dataclass
class World:
    areas: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        for bag in (self.areas, self.departments, self.enterprises, self.users):
            if name in bag:
                return bag[name]
        raise AttributeError(name)


def build_world() -> World:
    w = World()
    w.areas["R"] = AreaFactory(code="R", name="测试省", kind=AreaKind.REGION)
    w.areas["Z1"] = AreaFactory(code="Z1", name="一号高新区", kind=AreaKind.ZONE, parent=w.R)
    w.areas["Z2"] = AreaFactory(code="Z2", name="二号高新区", kind=AreaKind.ZONE, parent=w.R)
    w.areas["P1"] = AreaFactory(code="P1", name="一号园", parent=w.Z1)
    w.areas["P2"] = AreaFactory(code="P2", name="二号园", parent=w.Z1)
    w.areas["P3"] = AreaFactory(code="P3", name="三号园", parent=w.Z2)
    w.departments["D1"] = DepartmentFactory(area=w.Z1, name="企业服务中心")
    w.departments["D2"] = DepartmentFactory(area=w.Z2, name="企业服务中心")
    w.departments["D3"] = DepartmentFactory(area=w.Z1, name="规划建设局")
    w.enterprises["E1"] = EnterpriseFactory(area=w.P1, name="一号科技有限公司")
    w.enterprises["E2"] = EnterpriseFactory(area=w.P3, name="三号科技有限公司")
    for role in ROLE_USERS:
        user = UserFactory(username=role)
        target = {"area": w.Z1}
        if role == Role.PARK_STAFF:
            target = {"area": w.P1}
        elif role == Role.HANDLER:
            target = {"department": w.D1}
        elif role == Role.ENTERPRISE:
            target = {"enterprise": w.E1}
        MembershipFactory(user=user, role=role, **target)
        w.users[role] = user
    w.users["stranger"] = UserFactory(username="stranger")
    w.users["root"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    # People to look at: one who works in P1, one who works in P3.
    w.users["colleague"] = UserFactory(username="colleague")
    w.users["outsider"] = UserFactory(username="outsider")
    MembershipFactory(user=w.colleague, role=Role.PARK_STAFF, area=w.P1)
    MembershipFactory(user=w.outsider, role=Role.PARK_STAFF, area=w.P3)
    return w
