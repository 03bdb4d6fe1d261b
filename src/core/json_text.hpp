#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace lbrec::core {

// Serialises JSON as web APIs print it: doubles in their shortest form with a decimal point
// ("7.9", "8.0"), never Boost.JSON's exponent form ("7.9E0"); non-finite numbers as null.
std::string to_json_text(const boost::json::value& value);

}  // namespace lbrec::core
