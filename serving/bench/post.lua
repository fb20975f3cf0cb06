-- wrk script: one V1 predict request with one trip (the same trip as ServingBenchmark.TRIP).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"instances":[{"fare":9.25,"trip_miles":1.6,"trip_seconds":540,"trip_start_hour":18,"trip_start_day":3,"trip_start_month":5,"pickup_community_area":8,"dropoff_community_area":32,"payment_type":"Credit Card","company":"Taxi Affiliation Services"}]}'

-- Count non-200 answers so that a failing server cannot look fast.
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("non200=%d\n", bad))
end
