"""The import wizard, one module per page (``file_page``, ``mapping_page`` with ``column_roles``,
``check_page``, ``units_page`` with ``unknown_units_model``, ``run_page``, ``done_page``);
``wizard`` holds what they share."""

from socdesk.gui.import_wizard.check_page import CheckPage
from socdesk.gui.import_wizard.done_page import DonePage
from socdesk.gui.import_wizard.file_page import FilePage
from socdesk.gui.import_wizard.mapping_page import ABOVE_HEADER, HEADER_BACKGROUND, PREVIEW_ROWS, MappingPage
from socdesk.gui.import_wizard.run_page import RunPage
from socdesk.gui.import_wizard.units_page import UnitsPage
from socdesk.gui.import_wizard.unknown_units_model import CREATE, MAP, SKIP, UnknownUnitsModel
from socdesk.gui.import_wizard.wizard import ImportWizard

__all__ = [
    "ABOVE_HEADER",
    "CREATE",
    "HEADER_BACKGROUND",
    "MAP",
    "PREVIEW_ROWS",
    "SKIP",
    "CheckPage",
    "DonePage",
    "FilePage",
    "ImportWizard",
    "MappingPage",
    "RunPage",
    "UnitsPage",
    "UnknownUnitsModel",
]
