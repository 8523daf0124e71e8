from zoneos.audit.registry import track

from .models import BudgetAdjustment, BudgetLine, Expenditure, Programme, ResearchProject, Reviewer, Score

track(Programme, exclude=("updated_at",))
track(ResearchProject, exclude=("updated_at", "warned"))
track(BudgetLine)
track(BudgetAdjustment)
track(Reviewer)
track(Score)
track(Expenditure, exclude=("updated_at",))
