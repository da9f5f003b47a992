"""The one test builder, by stage: `planning`, `procurement`, `contracts`, `performance`. Import
from the stage module; the root conftest registers each as a pytest plugin for its fixtures."""
