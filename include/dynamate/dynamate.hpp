// dynamate/dynamate.hpp: the umbrella header. Includes every public header.
#pragma once

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/client_config.hpp"
#include "dynamate/aws/clock.hpp"
#include "dynamate/aws/credentials.hpp"
#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/aws/error_details.hpp"
#include "dynamate/aws/http.hpp"
#include "dynamate/aws/retry.hpp"
#include "dynamate/aws/s3.hpp"
#include "dynamate/aws/sigv4.hpp"
#include "dynamate/bytes.hpp"
#include "dynamate/error.hpp"
#include "dynamate/result.hpp"
