"""The service tier's desk answers every factory of the data layer with a twin: a new repository or
adapter without one fails here, before a use case test quietly reaches for AWS."""

from __future__ import annotations

import importlib
import pkgutil

from twins.desk import Twins

import desk.data


def test_every_data_layer_factory_answers_a_twin(twins: Twins) -> None:
    factories = []
    for module_info in pkgutil.iter_modules(desk.data.__path__):
        module = importlib.import_module(f"desk.data.{module_info.name}")
        factories += [
            value
            for value in vars(module).values()
            if getattr(value, "cache_name", "").startswith(f"desk.data.{module_info.name}.")
        ]
    assert len(factories) >= 15
    installed = {id(twin) for twin in vars(twins).values()}
    built = {factory.cache_name: factory() for factory in factories}
    assert {name for name, made in built.items() if id(made) not in installed} == set()
