"""Allmende's core: catalogue models and services, publiccode.yml validation, configuration."""
