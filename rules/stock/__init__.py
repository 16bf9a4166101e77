"""Stock-security rules: STK-01 to STK-08 over facilities' stock reports and deliveries.

Importing this package registers its rules: one line per rule module (`as` marks the import
as the re-export it is, so each stays on its own line).
"""

from rules.stock import stk01_stock_out as stk01_stock_out
from rules.stock import stk02_below_emergency as stk02_below_emergency
from rules.stock import stk03_below_minimum as stk03_below_minimum
from rules.stock import stk04_projected_stock_out as stk04_projected_stock_out
from rules.stock import stk05_overstock_expiry as stk05_overstock_expiry
from rules.stock import stk06_framework_under_delivery as stk06_framework_under_delivery
from rules.stock import stk07_single_source as stk07_single_source
from rules.stock import stk08_inconsistent_balance as stk08_inconsistent_balance
