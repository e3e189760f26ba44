import AdminContract
import Hummingbird

// The answers the routes return, encoded by Hummingbird's JSON encoder (ISO 8601 dates,
// as `AdminJSON.encoder()`).
extension AdminJSON.HealthCheck: ResponseEncodable {}
extension AdminJSON.HealthCheckList: ResponseEncodable {}
extension AdminJSON.RegionResult: ResponseEncodable {}
extension AdminJSON.ZoneList: ResponseEncodable {}
extension AdminJSON.ReloadResult: ResponseEncodable {}
extension AdminJSON.Explanation: ResponseEncodable {}
extension AdminJSON.FleetReport: ResponseEncodable {}
extension AdminJSON.Problem: ResponseEncodable {}
extension AdminJSON.DeployResult: ResponseEncodable {}
extension AdminJSON.DrillReport: ResponseEncodable {}
extension AdminJSON.DrillList: ResponseEncodable {}
extension AdminJSON.WhatIfReport: ResponseEncodable {}
