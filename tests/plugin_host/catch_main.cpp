// Only used when Catch2 provides no Catch2WithMain target.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
