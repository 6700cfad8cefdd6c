// A fixture for the layers test: xml reaching up into schematron, the back edge record.cpp once had.
#include <casedoc/base/error.hpp>
#include <casedoc/schematron/schema.hpp>
#include "direct_xpath.hpp"
