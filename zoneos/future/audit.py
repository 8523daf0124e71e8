from zoneos.audit.registry import track

from .models import Board, FutureIndustry, Proof, Scenario, ScenarioMatch

track(FutureIndustry, exclude=("updated_at",))
track(Board, exclude=("updated_at",))
track(Proof)
track(Scenario, exclude=("updated_at",))
track(ScenarioMatch)
