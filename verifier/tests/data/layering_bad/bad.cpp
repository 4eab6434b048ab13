// Fixture for the layering self-test: a verifier source that breaks the rule.
#include "core/alloc/allocator.h"
