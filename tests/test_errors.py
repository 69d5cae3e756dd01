"""Messages built in selfcheck/errors.py read well whatever the user's file is called."""


def test_a_long_path_in_a_message_keeps_the_file_name():
    from selfcheck.errors import ImportRefused, excerpt_path

    deep = "/tmp/" + "很长的文件夹名/" * 20 + "示范社区.json"
    assert excerpt_path(deep).endswith("…示范社区.json") and len(excerpt_path(deep)) <= 81
    assert "示范社区.json" in str(ImportRefused(deep, "文件不是 JSON。"))
    assert excerpt_path("短/路径.json") == "短/路径.json"
