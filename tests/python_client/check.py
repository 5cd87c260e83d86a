"""The official Omnimessage Python client (`pip install messente-api`), unchanged, against
`smsctl gateway serve`. Run by tests/gateway.rs; set up by scripts/python-client-check.sh.

Environment: GATEWAY_URL (http://ADDR/v1), KEY_ID, KEY_SECRET. The key must allow 127.0.0.1
and have a default sender. Sends twice; prints one line per check and "OK" at the end.
"""

import os
import sys

import messente_api
from messente_api import (
    SMS,
    ApiClient,
    Configuration,
    DeliveryReportApi,
    Omnimessage,
    OmnimessageApi,
    OmnimessageMessagesInner,
)
from messente_api.exceptions import ApiException


def main() -> int:
    config = Configuration(
        host=os.environ["GATEWAY_URL"],
        username=os.environ["KEY_ID"],
        password=os.environ["KEY_SECRET"],
    )
    print(f"messente-api {messente_api.__version__} -> {config.host}")
    with ApiClient(config) as client:
        api = OmnimessageApi(client)

        # 1. Explicit sender; the client's own autoconvert spelling ("full").
        sms = SMS(sender="PyClient", text="Hello “from” messente-api", autoconvert="full")
        sent = api.send_omnimessage(Omnimessage(to="+3725551234", messages=[OmnimessageMessagesInner(sms)]))
        assert sent.to == "+3725551234", sent
        assert sent.messages[0].sender == "PyClient", sent
        assert sent.messages[0].channel == "sms", sent
        print(f"send_omnimessage: 201 parsed, omnimessage_id={sent.omnimessage_id}")

        # 2. No sender: the key's default fills it, and the client still parses a sender.
        sent2 = api.send_omnimessage(
            Omnimessage(to="+3725551234", messages=[OmnimessageMessagesInner(SMS(text="No sender given"))])
        )
        assert sent2.messages[0].sender, sent2
        print(f"send_omnimessage without sender: sender={sent2.messages[0].sender}")

        # 3. The delivery report, as the SDK retrieves it.
        report = DeliveryReportApi(client).retrieve_delivery_report(sent.omnimessage_id)
        status = report.statuses[0]
        assert report.omnimessage_id == sent.omnimessage_id, report
        assert status.status.value == "DELIVRD" and status.message_id == sent.messages[0].message_id, report
        print(f"retrieve_delivery_report: {status.status.value} at {status.timestamp.isoformat()}")

        # 4. A refusal surfaces as the client's ApiException with the Omnimessage error body.
        try:
            api.send_omnimessage(Omnimessage(to="+0", messages=[OmnimessageMessagesInner(SMS(text="x"))]))
        except ApiException as e:
            assert e.status == 400 and '"payload[to]"' in e.body, (e.status, e.body)
            print(f"invalid 'to': ApiException {e.status} {e.body}")
        else:
            raise AssertionError("an invalid 'to' was accepted")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
