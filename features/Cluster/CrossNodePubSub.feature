Feature: Publications cross the nodes of a cluster
  Several server nodes share channels through a broker, so a publication made on one node reaches the
  subscribers on every node. These scenarios run only when the suite is given two or more nodes of one
  cluster (--endpoint A --endpoint B, SC_ENDPOINTS, or --cluster N); "node 1" and "node 2" are the first
  two endpoints. Everything else about publications (data, absent data, the publisher's own copy) is
  PubSub's; here only crossing the nodes is checked.

  Rule: Client publications reach subscribers on other nodes

    @server @cluster @v1 @v2 @L3 @CL-001
    Scenario Outline: A client publication on one node reaches a subscriber on another
      Given raw connection S has completed the handshake on node <subscriber>
      And S is subscribed to "cross-client"
      And raw connection P has completed the handshake on node <publisher>
      When P publishes '{"from":"node <publisher>"}' to "cross-client" with <method>
      Then S receives '{"event":"#publish","data":{"channel":"cross-client","data":{"from":"node <publisher>"}}}'

      Examples:
        | subscriber | publisher | method          |
        | 2          | 1         | transmitPublish |
        | 2          | 1         | invokePublish   |
        | 1          | 2         | transmitPublish |
        | 1          | 2         | invokePublish   |

    @server @cluster @v1 @v2 @L3 @CL-001
    Scenario: An acknowledged client publication is delivered on the other node
      Given raw connection S has completed the handshake on node 2
      And S is subscribed to "cross-ack"
      And raw connection P has completed the handshake on node 1
      When P publishes '"acknowledged"' to "cross-ack" with invokePublish
      Then the invokePublish of P resolves without data
      And S receives '{"event":"#publish","data":{"channel":"cross-ack","data":"acknowledged"}}'

  Rule: Server exchange publications reach subscribers on other nodes

    @server @cluster @fixture @v1 @v2 @L3 @CL-002
    Scenario Outline: An exchange publication on one node reaches a subscriber on another
      Given raw connection S has completed the handshake on node 2
      And S is subscribed to "cross-exchange"
      And raw connection P has completed the handshake on node 1
      When P invokes "conformance.publish" with '{"channel":"cross-exchange","data":"<data>","ack":<ack>}'
      Then the invoke of P resolves without data
      And S receives '{"event":"#publish","data":{"channel":"cross-exchange","data":"<data>"}}'

      Examples:
        | ack   | data                   |
        | false | exchange transmit      |
        | true  | exchange invokePublish |

  Rule: Every subscriber on every node receives each publication once

    @server @cluster @v1 @v2 @L3 @CL-003
    Scenario: Subscribers on both nodes each receive every publication exactly once
      Given raw connection A1 has completed the handshake on node 1
      And A1 is subscribed to "fan-out"
      And raw connection A2 has completed the handshake on node 1
      And A2 is subscribed to "fan-out"
      And raw connection B1 has completed the handshake on node 2
      And B1 is subscribed to "fan-out"
      And raw connection B2 has completed the handshake on node 2
      And B2 is subscribed to "fan-out"
      And raw connection P has completed the handshake on node 2
      And raw connection Q has completed the handshake on node 1
      When P publishes '"from 2"' to "fan-out" with invokePublish
      Then the invokePublish of P resolves without data
      And A1 receives on "fan-out" exactly the publications '["from 2"]'
      And A2 receives on "fan-out" exactly the publications '["from 2"]'
      And B1 receives on "fan-out" exactly the publications '["from 2"]'
      And B2 receives on "fan-out" exactly the publications '["from 2"]'
      When Q publishes '"from 1"' to "fan-out" with invokePublish
      Then the invokePublish of Q resolves without data
      And A1 receives on "fan-out" exactly the publications '["from 1"]'
      And A2 receives on "fan-out" exactly the publications '["from 1"]'
      And B1 receives on "fan-out" exactly the publications '["from 1"]'
      And B2 receives on "fan-out" exactly the publications '["from 1"]'

  Rule: One publisher's order holds across nodes

    @server @cluster @v1 @v2 @L3 @CL-004
    Scenario: Publications from one publisher arrive in order on the other node
      Given raw connection S has completed the handshake on node 2
      And S is subscribed to "ordered"
      And raw connection P has completed the handshake on node 1
      When P publishes 100 numbered messages "m" to "ordered" with transmitPublish
      Then S receives on "ordered" exactly 100 numbered publications "m"
