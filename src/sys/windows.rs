//! Windows: the C runtime's signal() underneath, as CPython uses there.
