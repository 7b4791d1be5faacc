// `dynamate demo`: exercises the object mapper and the S3 client end to end against whatever
// endpoints the environment names (the README's main command points it at
// local servers).
#pragma once

#include "cli_common.hpp"

namespace dynamate::cli {

struct DemoOptions {
  int items = 5;
  bool keep = false;  // leave the table and bucket behind
};

int run_demo(const GlobalOptions& global, const DemoOptions& options);

}  // namespace dynamate::cli
