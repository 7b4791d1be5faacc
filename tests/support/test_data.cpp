#include "support/test_data.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dynamate::test {
std::string data_path(const std::string& relative) {
  return std::string(DYNAMATE_TEST_DATA_DIR) + "/" + relative;
}
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read test file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace dynamate::test
