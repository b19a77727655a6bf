"""medoffice-tui: a keyboard-driven terminal workstation for a medical office front desk."""

__version__ = "0.1.0"
