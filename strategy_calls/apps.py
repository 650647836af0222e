from django.apps import AppConfig


class StrategyCallsConfig(AppConfig):
    name = "strategy_calls"
    verbose_name = "Strategy calls"
