# Tiếng Việt: ngôn ngữ mặc định của Bình An. Dùng đúng thuật ngữ trong GLOSSARY.
# Mỗi khóa ở đây phải có trong en.ftl (kiểm tra bằng unit test).

## Bố cục chung
skip-to-content = Chuyển đến nội dung chính
nav-label = Điều hướng chính
nav-home = Trang chính
nav-account = Tài khoản
nav-admin-users = Quản lý tài khoản
lang-switch-label = Ngôn ngữ
lock-now = Khóa màn hình
sign-out = Đăng xuất
footer-help = Cần hỗ trợ, hãy liên hệ quản trị hệ thống của tỉnh.

## Tên trang (tiêu đề trung tính, không chứa dữ liệu cá nhân)
page-login = Đăng nhập
page-home = Trang chính
page-account = Tài khoản
page-second-factor = Xác thực hai bước
page-recovery-codes = Mã dự phòng
page-admin-users = Quản lý tài khoản
page-admin-user-new = Tạo tài khoản
page-admin-password = Mật khẩu mới
page-admin-confirm = Xác nhận

## Đăng nhập
login-heading = Đăng nhập
login-username = Tên đăng nhập
login-password = Mật khẩu
login-code = Mã xác thực
login-code-hint = Mã 6 số đang hiện trong ứng dụng xác thực trên điện thoại, hoặc một mã dự phòng. Bỏ trống nếu tài khoản của bạn không dùng mã.
login-submit = Đăng nhập
login-help = Quên mật khẩu hoặc mất điện thoại có ứng dụng xác thực? Hãy liên hệ quản trị hệ thống của tỉnh.
login-error-missing-username = Hãy nhập tên đăng nhập.
login-error-missing-password = Hãy nhập mật khẩu.
login-error-code-format = Mã xác thực là mã 6 số đang hiện trong ứng dụng xác thực, hoặc một mã dự phòng dạng abcde-fghjk. Hãy nhập lại.
login-error-code-required = Tài khoản này cần mã xác thực. Hãy nhập lại mật khẩu, rồi nhập mã 6 số đang hiện trong ứng dụng xác thực (hoặc một mã dự phòng).
login-error-invalid = Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng. Hãy kiểm tra chữ hoa, chữ thường và tắt bộ gõ tiếng Việt khi nhập mật khẩu, rồi thử lại.
login-error-form-expired = Trang đăng nhập đã mở quá lâu. Hãy nhập lại và đăng nhập.
login-notice-session-ended = Phiên làm việc đã kết thúc vì lâu không sử dụng. Hãy đăng nhập lại.
login-error-too-many = Đã thử đăng nhập quá nhiều lần từ máy này. Hãy đợi một phút rồi thử lại.
login-notice-signed-out = Bạn đã đăng xuất.
login-notice-password-changed = Mật khẩu đã được đổi và mọi phiên làm việc đã kết thúc. Hãy đăng nhập bằng mật khẩu mới.

## Vai trò (theo GLOSSARY)
role-social_worker = Cán bộ công tác xã hội cấp xã
role-supervisor = Cán bộ giám sát
role-safe_house_staff = Nhân viên nhà tạm lánh
role-committee_member = Thành viên Ban Vì sự tiến bộ của phụ nữ
role-admin = Quản trị hệ thống

## Phạm vi làm việc
scope-term-communes = Xã, phường phụ trách
scope-term-safe-house = Nhà tạm lánh
scope-term-general = Phạm vi
scope-province = Toàn tỉnh { $name }
scope-system = Toàn hệ thống

## Trang chính
home-signed-in-as = Người đăng nhập
home-tasks-heading = Công việc của bạn tại đây
home-tasks-note = Mỗi chức năng sẽ có trong thanh điều hướng ở đầu trang khi sẵn sàng.
home-safety-heading = An toàn khi làm việc
home-safety-lock = Màn hình tự khóa sau { $minutes } phút không thao tác. Khi rời máy, hãy bấm “Khóa màn hình”; khi xong việc, hãy đăng xuất.

## Việc của từng vai trò (DESIGN §1)
task-social_worker-intake = Tiếp nhận tin báo và mở hồ sơ vụ việc
task-social_worker-assess = Đánh giá nguy cơ và lập kế hoạch hỗ trợ
task-social_worker-record = Ghi nhận sự đồng ý, biện pháp ngăn chặn, bảo vệ và ghi chú
task-social_worker-refer = Chuyển gửi đến cơ sở cung cấp dịch vụ và đề nghị bố trí tạm lánh
task-social_worker-follow-up = Theo dõi hồ sơ và đề nghị đóng hồ sơ
task-supervisor-all = Mọi việc của cán bộ xã, trong phạm vi toàn tỉnh
task-supervisor-approve = Phê duyệt đóng hồ sơ và ngoại lệ về sự đồng ý vì lợi ích tốt nhất của trẻ em
task-supervisor-reassign = Phân công lại hồ sơ
task-supervisor-erasure = Quyết định xóa thông tin cá nhân khi có yêu cầu
task-supervisor-deadlines = Theo dõi các thời hạn sắp đến và đã quá hạn
task-safe_house_staff-requests = Xem đề nghị bố trí tạm lánh gửi đến nhà của bạn; nhận hoặc từ chối
task-safe_house_staff-check-in = Tiếp nhận vào và cho rời đi
task-safe_house_staff-notes = Ghi chú trong thời gian tạm lánh
task-safe_house_staff-identity = Họ tên và số điện thoại của người tạm lánh chỉ hiện từ khi nhận đến khi rời đi
task-committee_member-statistics = Số liệu thống kê ẩn danh trong phạm vi của Ban
task-committee_member-reports = Báo cáo 6 tháng (hạn trước 10/6) và báo cáo năm (hạn trước 10/11)
task-committee_member-exports = Báo cáo chuyên đề; tải về dạng CSV, XLSX hoặc in
task-committee_member-anonymous = Không có tên hay thông tin cá nhân nào; số liệu dưới ngưỡng được ẩn
task-admin-accounts = Quản lý tài khoản người dùng
task-admin-registers = Quản lý nhà tạm lánh, cơ sở cung cấp dịch vụ và đơn vị hành chính
task-admin-settings = Cài đặt hệ thống và kiểm tra nhật ký truy cập
task-admin-separation = Quản trị hệ thống không xem được nội dung hồ sơ vụ việc

## Khóa màn hình
lock-title = Màn hình đã khóa
lock-help = Nhập mật khẩu để tiếp tục làm việc.
unlock-submit = Mở khóa
unlock-busy = Đang kiểm tra…
unlock-error-wrong = Mật khẩu không đúng. Hãy nhập lại mật khẩu của bạn (tắt bộ gõ tiếng Việt).
unlock-error-too-many = Đã thử quá nhiều lần. Hãy đăng xuất rồi đăng nhập lại.
unlock-error-session-ended = Phiên làm việc đã kết thúc. Hãy đăng xuất rồi đăng nhập lại.
unlock-error-failed = Chưa mở khóa được do lỗi máy chủ. Hãy thử lại sau ít phút, hoặc đăng xuất rồi đăng nhập lại.
unlock-error-network = Không kết nối được máy chủ. Hãy kiểm tra mạng rồi thử lại.

## Trang lỗi
error-back = Về trang chính
error-403-title = Không được phép
error-403-text = Tài khoản của bạn không có quyền xem trang này. Nếu bạn cần quyền này, hãy liên hệ quản trị hệ thống.
error-404-title = Không tìm thấy trang
error-404-text = Trang này không có hoặc bạn không có quyền xem. Hãy kiểm tra lại đường dẫn hoặc quay về trang chính.
error-500-title = Lỗi hệ thống
error-500-text = Hệ thống gặp lỗi khi xử lý yêu cầu. Dữ liệu đã lưu trước đó không bị ảnh hưởng. Hãy thử lại; nếu lỗi còn, hãy báo quản trị hệ thống.
error-503-title = Hệ thống tạm ngừng phục vụ
error-503-text = Hệ thống đang bảo trì hoặc quá tải. Hãy thử lại sau ít phút.
error-other-title = Không thực hiện được yêu cầu
error-other-text = Yêu cầu không hợp lệ. Hãy quay lại trang trước và thử lại.

## Biểu mẫu
form-has-errors = Có ô chưa đúng. Hãy sửa theo hướng dẫn dưới từng ô rồi gửi lại.

## Tài khoản của tôi
account-heading = Tài khoản của bạn
account-who-heading = Thông tin tài khoản
account-display-name = Họ tên
account-username = Tên đăng nhập
account-role = Vai trò
account-second-factor-heading = Xác thực hai bước
account-second-factor-on = Đang bật
account-second-factor-on-text = Khi đăng nhập, bạn nhập thêm mã 6 số từ ứng dụng xác thực.
account-second-factor-replace = Đổi sang điện thoại mới
account-second-factor-off = Chưa bật
account-second-factor-off-text = Mã 6 số từ ứng dụng xác thực giúp bảo vệ tài khoản ngay cả khi người khác biết mật khẩu của bạn.
account-second-factor-set-up = Bật xác thực hai bước
account-password-heading = Đổi mật khẩu
account-password-rules = Ít nhất 12 ký tự. Nên dùng vài từ không liên quan đến nhau, dễ nhớ với bạn nhưng khó đoán với người khác.
account-current-password = Mật khẩu hiện tại
account-new-password = Mật khẩu mới
account-repeat-password = Nhập lại mật khẩu mới
account-password-after = Sau khi đổi, mọi phiên làm việc của bạn sẽ kết thúc, kể cả phiên này. Hãy đăng nhập lại bằng mật khẩu mới.
account-password-submit = Đổi mật khẩu
account-error-current-missing = Hãy nhập mật khẩu hiện tại.
account-error-current-wrong = Mật khẩu hiện tại không đúng. Hãy nhập lại (tắt bộ gõ tiếng Việt).
account-error-repeat = Hai lần nhập mật khẩu mới không giống nhau. Hãy nhập lại.
account-error-new-refused = Mật khẩu mới không dùng được. Hãy chọn mật khẩu khác.
account-error-new-too-short = Mật khẩu mới phải có ít nhất 12 ký tự.
account-error-new-too-long = Mật khẩu mới chỉ được dài tối đa 128 ký tự.
account-error-new-guessable = Mật khẩu mới quá phổ biến hoặc dễ đoán (có thể vì giống tên của bạn). Hãy dùng vài từ không liên quan đến nhau.

## Xác thực hai bước
second-factor-heading = Cài đặt xác thực hai bước
second-factor-replace-text = Xác thực hai bước đang bật. Nếu đổi hoặc mất điện thoại, hãy nhờ quản trị hệ thống đặt lại; lần đăng nhập sau, bạn cài đặt trên điện thoại mới. Trong lúc chờ, mỗi mã dự phòng vẫn dùng được một lần.
second-factor-back-to-account = Quay lại trang tài khoản
second-factor-required-notice = Vai trò của bạn cần xác thực hai bước. Hãy cài đặt xong để bắt đầu làm việc.
second-factor-step-app = Cài một ứng dụng xác thực trên điện thoại, ví dụ Google Authenticator, Microsoft Authenticator hoặc FreeOTP.
second-factor-step-scan = Trong ứng dụng, chọn thêm tài khoản và quét mã QR này:
second-factor-qr-label = Mã QR để thêm tài khoản Bình An vào ứng dụng xác thực
second-factor-open-app = Đang dùng điện thoại này? Mở bằng ứng dụng xác thực
second-factor-step-type = Nếu không quét được, hãy nhập khóa này vào ứng dụng:
second-factor-step-code = Nhập mã 6 số ứng dụng đang hiện để xác nhận.
second-factor-code = Mã 6 số từ ứng dụng
second-factor-confirm = Xác nhận
second-factor-error-code = Mã chưa đúng. Hãy nhập mã đang hiện trong ứng dụng (mã đổi sau mỗi 30 giây) và kiểm tra giờ trên điện thoại.
second-factor-start-over = Bắt đầu lại với mã QR mới

## Mã dự phòng
recovery-codes-heading = Mã dự phòng
recovery-codes-done = Xác thực hai bước đã được bật.
recovery-codes-text = Nếu mất điện thoại, bạn có thể đăng nhập bằng một trong các mã dưới đây thay cho mã 6 số. Hãy chép ra giấy và cất ở nơi an toàn.
recovery-codes-once = Mỗi mã chỉ dùng được một lần. Các mã này chỉ hiện một lần, ngay bây giờ.
recovery-codes-continue = Tiếp tục đến trang chính

## Quản lý tài khoản (quản trị hệ thống)
admin-users-heading = Quản lý tài khoản
admin-users-new = Tạo tài khoản mới
admin-users-list-heading = Danh sách tài khoản
admin-col-username = Tên đăng nhập
admin-col-name = Họ tên
admin-col-role = Vai trò
admin-col-scope = Phạm vi
admin-col-state = Trạng thái
admin-col-second-factor = Xác thực hai bước
admin-col-actions = Thao tác
admin-own-account = Tài khoản của bạn
admin-action-reset = Cấp lại mật khẩu
admin-action-disable = Vô hiệu hóa
admin-notice-disabled = Tài khoản đã bị vô hiệu hóa; mọi phiên làm việc của tài khoản đó đã kết thúc.
admin-state-active = Đang hoạt động
admin-state-locked = Tạm khóa do nhập sai nhiều lần
admin-state-disabled = Đã vô hiệu hóa
admin-second-factor-on = Đã bật
admin-second-factor-off = Chưa bật
admin-new-heading = Tạo tài khoản mới
admin-back-to-list = Quay lại danh sách tài khoản
admin-field-username = Tên đăng nhập
admin-field-username-hint = Từ 3 đến 32 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới (ví dụ: hanh.nt).
admin-field-display-name = Họ tên
admin-field-role = Vai trò
admin-field-communes = Xã, phường phụ trách
admin-field-communes-hint = Bắt buộc với cán bộ xã; với thành viên Ban cấp xã, chọn các xã, phường của Ban. Các vai trò khác không cần chọn.
admin-field-safe-house = Mã nhà tạm lánh
admin-field-safe-house-hint = Chỉ dành cho nhân viên nhà tạm lánh.
admin-new-password-note = Mật khẩu đầu tiên do hệ thống tạo và chỉ hiện một lần sau khi tạo tài khoản.
admin-new-submit = Tạo tài khoản
admin-error-username = Tên đăng nhập gồm 3 đến 32 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.
admin-error-username-taken = Tên đăng nhập này đã có người dùng. Hãy chọn tên khác.
admin-error-display-name = Hãy nhập họ tên (tối đa 80 ký tự).
admin-error-communes = Cán bộ xã cần ít nhất một xã, phường phụ trách.
admin-error-safe-house = Nhân viên nhà tạm lánh cần mã của nhà tạm lánh.
admin-error-role = Hãy chọn một vai trò trong danh sách.
admin-error-other = Giá trị này không hợp lệ.
admin-disable-heading = Vô hiệu hóa tài khoản?
admin-disable-text = Người này sẽ không đăng nhập được nữa và mọi phiên làm việc đang mở sẽ kết thúc ngay.
admin-disable-submit = Vô hiệu hóa tài khoản
admin-reset-heading = Cấp lại mật khẩu?
admin-reset-text = Hệ thống sẽ tạo mật khẩu mới; mật khẩu cũ không dùng được nữa và mọi phiên làm việc đang mở sẽ kết thúc.
admin-reset-submit = Cấp mật khẩu mới
admin-created-heading = Đã tạo tài khoản
admin-reset-done-heading = Đã cấp mật khẩu mới
admin-password-label = Mật khẩu
admin-password-once = Mật khẩu này chỉ hiện một lần. Hãy chép lại ngay.
admin-password-hand-over = Hãy trao mật khẩu tận tay người dùng (không gửi qua tin nhắn hay mạng xã hội) và đề nghị họ đổi mật khẩu ở trang Tài khoản sau lần đăng nhập đầu tiên.
admin-password-second-factor = Vai trò này cần xác thực hai bước: lần đăng nhập đầu tiên, người dùng sẽ được hướng dẫn cài đặt trên điện thoại.

page-locked = Màn hình đang khóa
locked-heading = Màn hình đang khóa
locked-text = Nhập mật khẩu để mở lại. Nếu không phải bạn, hãy đăng xuất.
