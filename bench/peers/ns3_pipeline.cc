// The ns-3 peer of `npm run bench -- pipeline` (our own program; ns-3 itself comes from Debian's
// libns3-dev). bench/ns3Peer.ts compiles it on demand into a cache folder; by hand:
//
//   g++ -O2 -std=c++17 -o /tmp/ns3_pipeline bench/peers/ns3_pipeline.cc $(pkg-config --cflags --libs
//     ns3-core ns3-network ns3-internet ns3-point-to-point ns3-applications)
//   /tmp/ns3_pipeline --transport=tcp --connections=1000
//
// Two nodes joined by a point-to-point link (--linkBitsPerSec, default 10 Gb/s; --wireNs of
// propagation delay, default 1 us), each with ns-3's full internet stack. Every packet crosses the application socket, TCP or UDP, IPv4, the
// traffic-control layer (the default pfifo_fast queue disc), the device queue, the device and the
// channel, on both nodes.
//
// --transport=tcp (the default: the workload of our pipeline bench)
//   Connections open as a Poisson process (--rate per second) until --connections have opened.
//   Each does the three-way handshake, then --requests request/response exchanges back to back
//   (--requestBytes up, --responseBytes down; the client sends its next request --wakeupNs after
//   the last response byte arrived, the server answers --wakeupNs + --serverNs after the request
//   arrived: application wake-up and server processing as in our model), then closes (FIN both
//   ways). bench/ns3Peer.ts passes our pipeline's workload and calibrated values. TCP segment size
//   1448 bytes, so a 1024-byte response is one segment and each request and response is one packet
//   (the ACKs ride on the next data segment: delayed ACKs).
// --transport=udp
//   ns-3's UdpEchoClient and UdpEchoServer: --requests 64-byte echo requests 10 us apart, one reply
//   each. No connections, no TCP state: ns-3's cheapest path per packet.
//
// Prints one JSON line: packets (every packet the two devices took to send, handshake, ACKs and
// FINs included), events (ns-3 events executed), wallSec (Simulator::Run only, set-up excluded),
// packetsPerSec = packets / wallSec, simulatedSec (tcp: until the last response; the closed
// sockets' TIME_WAIT timers then run on in simulated time, at the cost of one event each).
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <cstdio>
#include <string>

using namespace ns3;

namespace {

const uint16_t kPort = 80;
Time g_clientWakeup;
Time g_serverTurnaround;

struct Workload {
  uint32_t requests;
  uint32_t requestBytes;
  uint32_t responseBytes;
};

Workload g_work;
/** When the last connection received its last response (TIME_WAIT timers run on long after). */
Time g_lastResponse;

// ---- client side: one Conn per connection, freed when the socket closes ----
struct Conn {
  Ptr<Socket> socket;
  uint32_t requestsLeft;
  uint32_t received = 0;
};

void SendRequest(Conn* c) { c->socket->Send(Create<Packet>(g_work.requestBytes)); }

void ClientConnected(Conn* c, Ptr<Socket>) { Simulator::Schedule(g_clientWakeup, &SendRequest, c); }

void ClientConnectFailed(Conn* c, Ptr<Socket>) {
  std::fprintf(stderr, "ns3_pipeline: a connection failed\n");
  std::exit(1);
}

void ClientRecv(Conn* c, Ptr<Socket> s) {
  while (Ptr<Packet> p = s->Recv()) c->received += p->GetSize();
  while (c->received >= g_work.responseBytes) {
    c->received -= g_work.responseBytes;
    if (--c->requestsLeft > 0) {
      Simulator::Schedule(g_clientWakeup, &SendRequest, c);
    } else {
      g_lastResponse = Simulator::Now();
      // The socket lives on until TCP has finished closing; nothing may call back into c.
      s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
      s->Close();
      delete c;
      return;
    }
  }
}

void OpenConnection(Ptr<Node> client, Address server, Ptr<ExponentialRandomVariable> gap, uint32_t left) {
  Conn* c = new Conn{Socket::CreateSocket(client, TcpSocketFactory::GetTypeId()), g_work.requests};
  c->socket->Bind();
  c->socket->SetConnectCallback(MakeBoundCallback(&ClientConnected, c), MakeBoundCallback(&ClientConnectFailed, c));
  c->socket->SetRecvCallback(MakeBoundCallback(&ClientRecv, c));
  c->socket->Connect(server);
  if (left > 1) Simulator::Schedule(Seconds(gap->GetValue()), &OpenConnection, client, server, gap, left - 1);
}

// ---- server side: answers every requestBytes received with responseBytes ----
struct ServerConn {
  uint32_t received = 0;
};

void SendResponse(Ptr<Socket> s) { s->Send(Create<Packet>(g_work.responseBytes)); }

void ServerRecv(ServerConn* sc, Ptr<Socket> s) {
  while (Ptr<Packet> p = s->Recv()) sc->received += p->GetSize();
  while (sc->received >= g_work.requestBytes) {
    sc->received -= g_work.requestBytes;
    Simulator::Schedule(g_serverTurnaround, &SendResponse, s);
  }
}

void ServerPeerClosed(ServerConn* sc, Ptr<Socket> s) {
  s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
  s->Close();
  delete sc;
}

void ServerAccepted(Ptr<Socket> s, const Address&) {
  ServerConn* sc = new ServerConn();
  s->SetRecvCallback(MakeBoundCallback(&ServerRecv, sc));
  s->SetCloseCallbacks(MakeBoundCallback(&ServerPeerClosed, sc), MakeNullCallback<void, Ptr<Socket>>());
}

bool AcceptAll(Ptr<Socket>, const Address&) { return true; }

}  // namespace

int main(int argc, char* argv[]) {
  std::string transport = "tcp";
  uint32_t connections = 1000;
  double ratePerSec = 1000;
  uint32_t seed = 1;
  uint64_t linkBitsPerSec = 10000000000ULL;
  uint64_t wireNs = 1000;
  uint64_t wakeupNs = 2000;
  uint64_t serverNs = 1000;
  g_work = {200, 256, 1024};
  CommandLine cmd;
  cmd.AddValue("transport", "tcp (request/response over TCP connections) or udp (UDP echo)", transport);
  cmd.AddValue("connections", "tcp: connections opened", connections);
  cmd.AddValue("rate", "tcp: connections opened per simulated second (Poisson)", ratePerSec);
  cmd.AddValue("requests", "tcp: request/response exchanges per connection; udp: echo requests", g_work.requests);
  cmd.AddValue("requestBytes", "tcp: request payload, bytes", g_work.requestBytes);
  cmd.AddValue("responseBytes", "tcp: response payload, bytes", g_work.responseBytes);
  cmd.AddValue("linkBitsPerSec", "link rate, bits/s", linkBitsPerSec);
  cmd.AddValue("wireNs", "propagation delay of the link, ns", wireNs);
  cmd.AddValue("wakeupNs", "tcp: application wake-up (client and server), ns", wakeupNs);
  cmd.AddValue("serverNs", "tcp: server processing per request, ns", serverNs);
  cmd.AddValue("seed", "run number of ns-3's random streams", seed);
  cmd.Parse(argc, argv);
  if (transport != "tcp" && transport != "udp") {
    std::fprintf(stderr, "ns3_pipeline: --transport is %s; allowed: tcp, udp\n", transport.c_str());
    return 2;
  }
  if (connections == 0 || g_work.requests == 0 || g_work.requestBytes == 0 || g_work.responseBytes == 0 || !(ratePerSec > 0) ||
      linkBitsPerSec == 0) {
    std::fprintf(stderr, "ns3_pipeline: --connections, --requests, --requestBytes, --responseBytes, --rate and --linkBitsPerSec must be positive\n");
    return 2;
  }
  g_clientWakeup = NanoSeconds(wakeupNs);
  g_serverTurnaround = NanoSeconds(wakeupNs + serverNs);
  RngSeedManager::SetRun(seed);
  Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));

  NodeContainer nodes;
  nodes.Create(2);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(linkBitsPerSec)));
  p2p.SetChannelAttribute("Delay", TimeValue(NanoSeconds(wireNs)));
  NetDeviceContainer dev = p2p.Install(nodes);
  InternetStackHelper stack;
  stack.Install(nodes);
  Ipv4AddressHelper addr;
  addr.SetBase("10.1.1.0", "255.255.255.0");
  Ipv4InterfaceContainer ifs = addr.Assign(dev);

  if (transport == "tcp") {
    Ptr<Socket> listener = Socket::CreateSocket(nodes.Get(1), TcpSocketFactory::GetTypeId());
    listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
    listener->Listen();
    listener->SetAcceptCallback(MakeCallback(&AcceptAll), MakeCallback(&ServerAccepted));
    Ptr<ExponentialRandomVariable> gap = CreateObject<ExponentialRandomVariable>();
    gap->SetAttribute("Mean", DoubleValue(1.0 / ratePerSec));
    Simulator::Schedule(MilliSeconds(1), &OpenConnection, nodes.Get(0), Address(InetSocketAddress(ifs.GetAddress(1), kPort)), gap, connections);
  } else {
    UdpEchoServerHelper server(kPort);
    server.Install(nodes.Get(1)).Start(Seconds(0));
    UdpEchoClientHelper client(ifs.GetAddress(1), kPort);
    client.SetAttribute("MaxPackets", UintegerValue(g_work.requests));
    client.SetAttribute("Interval", TimeValue(MicroSeconds(10)));
    client.SetAttribute("PacketSize", UintegerValue(64));
    client.Install(nodes.Get(0)).Start(MilliSeconds(1));
  }

  auto t0 = std::chrono::steady_clock::now();
  Simulator::Run();
  double wallSec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double simulatedSec = (transport == "tcp" ? g_lastResponse : Simulator::Now()).GetSeconds();
  uint64_t events = Simulator::GetEventCount();
  uint64_t packets = 0;
  for (uint32_t i = 0; i < dev.GetN(); i++) packets += DynamicCast<PointToPointNetDevice>(dev.Get(i))->GetQueue()->GetTotalReceivedPackets();
  Simulator::Destroy();
  std::printf("{\"peer\":\"ns-3\",\"transport\":\"%s\",\"connections\":%u,\"requests\":%u,\"packets\":%llu,\"events\":%llu,"
              "\"wallSec\":%.4f,\"packetsPerSec\":%.0f,\"simulatedSec\":%.6f}\n",
              transport.c_str(), transport == "tcp" ? connections : 0, g_work.requests, (unsigned long long)packets,
              (unsigned long long)events, wallSec, packets / wallSec, simulatedSec);
  return 0;
}
