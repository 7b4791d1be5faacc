// Paths into tests/data and small file helpers for tests.
#pragma once

#include <string>

namespace dynamate::test {
std::string data_path(const std::string& relative);  // tests/data/<relative>
std::string read_file(const std::string& path);      // throws if unreadable
}  // namespace dynamate::test
