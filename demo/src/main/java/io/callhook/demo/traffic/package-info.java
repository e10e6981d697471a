/**
 * Demo traffic: {@link io.callhook.demo.traffic.TrafficGenerator} plays the telephony backend and
 * the site tracker, publishing visits and call events to Kafka at a chosen rate.
 *
 * <table>
 * <caption>Topics written</caption>
 * <tr><th>topic (default name)</th><th>key</th><th>value</th></tr>
 * <tr><td>visits</td><td>visitor id</td><td>{@link io.callhook.model.VisitSnapshot}</td></tr>
 * <tr><td>calls.events</td><td>call id (decimal)</td><td>{@link io.callhook.model.CallEvent}, STARTED then ENDED</td></tr>
 * </table>
 */
package io.callhook.demo.traffic;
