#include <gtest/gtest.h>

#include "metrics/metrics.h"
#include "metrics/process_stats.h"

namespace pixmill::metrics {
namespace {

TEST(MetricsTest, DialectComesFromTheRouteName) {
  EXPECT_EQ(dialect_of_route("native.process"), "native");
  EXPECT_EQ(dialect_of_route("petiteimg.process"), "petiteimg");
  EXPECT_EQ(dialect_of_route("feather.compress"), "feather");
  EXPECT_EQ(dialect_of_route("nativeish"), "service");
  EXPECT_EQ(dialect_of_route("-"), "service");
}

TEST(MetricsTest, RequestsAreCountedByRouteAndStatus) {
  Metrics m("1.2.3");
  m.request("POST", "native.process", 200, 1000, 400, 0.02);
  m.request("POST", "native.process", 200, 1000, 400, 0.03);
  m.request("BREW", "-", 404, 0, 10, 0.001);
  const std::string text = m.scrape();
  EXPECT_NE(text.find("pixmill_http_requests_total{dialect=\"native\",method=\"POST\",route=\"native.process\",status=\"200\"} 2"),
            std::string::npos) << text;
  // Odd methods fold into one label value: clients cannot grow the label set.
  EXPECT_NE(text.find("method=\"other\",route=\"unmatched\",status=\"404\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("pixmill_http_request_bytes_total{dialect=\"native\"} 2000"), std::string::npos);
  EXPECT_NE(text.find("pixmill_build_info{version=\"1.2.3\"} 1"), std::string::npos);
}

TEST(MetricsTest, ServerTotalsBecomeCounters) {
  Metrics m("t");
  http::Server::Stats stats;
  stats.workers = 4;
  stats.busy_workers = 1;
  stats.queued = 3;
  stats.rejected_busy = 5;
  m.set_server_stats([&stats] { return stats; });
  std::string text = m.scrape();
  EXPECT_NE(text.find("pixmill_queue_depth 3"), std::string::npos) << text;
  EXPECT_NE(text.find("pixmill_queue_rejections_total 5"), std::string::npos);
  EXPECT_NE(text.find("pixmill_worker_utilization_ratio 0.25"), std::string::npos);
  stats.rejected_busy = 7;
  text = m.scrape();
  EXPECT_NE(text.find("pixmill_queue_rejections_total 7"), std::string::npos);
}

TEST(MetricsTest, InferenceObserverFeedsTheHistogram) {
  Metrics m("t");
  auto observe = m.inference_observer();
  observe("u2netp", 0.2);
  const std::string text = m.scrape();
  EXPECT_NE(text.find("pixmill_model_inference_seconds_count{model=\"u2netp\"} 1"), std::string::npos) << text;
}

TEST(ProcessStatsTest, ReadsThisProcess) {
  const ProcessStats s = read_process_stats();
  EXPECT_GT(s.resident_bytes, 0u);
  EXPECT_GE(s.virtual_bytes, s.resident_bytes);
  EXPECT_GT(s.open_fds, 2);  // stdin, stdout, stderr at least
  EXPECT_GT(s.start_time_s, 1.6e9);
}

}  // namespace
}  // namespace pixmill::metrics
